package io.toks.core.result;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.ToksException;
import io.toks.core.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result documents of a file's text, whatever form it has: one document ({@code -o json},
 * {@code --out}), a JSON array of them ({@code toks history export -o FILE.json}), or several one
 * after another ({@code -o jsonl}, one one-run document per line; files joined with {@code cat}).
 * Consecutive documents of one command, as {@code -o jsonl} writes them (the same command, start
 * time, machine, JVM, build and parameters), become that command's one document again, so a
 * reader sees the same runs whichever of {@code -o json} and {@code -o jsonl} wrote them.
 */
final class ResultText {

    /** A JSON value at the top level of the text and the line it starts on. */
    private record Value(int line, JsonNode node) {}

    private ResultText() {}

    static List<ResultDocument> documents(String text, ObjectMapper mapper) {
        List<Value> values = values(text, mapper);
        if (values.isEmpty()) throw new ToksException("empty, no result document in it");
        if (values.size() == 1 && values.getFirst().node().isArray()) return arrayElements(values.getFirst().node());
        if (values.size() == 1) return List.of(ResultJson.document(values.getFirst().node()));
        List<ResultDocument> documents = new ArrayList<>();
        for (Value value : values) {
            try {
                documents.add(ResultJson.document(value.node()));
            } catch (ToksException e) {
                throw new ToksException("line " + value.line() + ": " + e.getMessage());
            }
        }
        return mergeLinesOfOneCommand(documents);
    }

    private static List<ResultDocument> arrayElements(JsonNode array) {
        List<ResultDocument> documents = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                documents.add(ResultJson.document(array.get(i)));
            } catch (ToksException e) {
                throw new ToksException("document " + (i + 1) + " of the array: " + e.getMessage());
            }
        }
        return documents;
    }

    /** Every top-level JSON value of the text, each with the line it starts on. */
    private static List<Value> values(String text, ObjectMapper mapper) {
        List<Value> values = new ArrayList<>();
        int start = -1;
        try (JsonParser parser = mapper.createParser(text)) {
            while (parser.nextToken() != null) {
                start = parser.currentTokenLocation().getLineNr();
                values.add(new Value(start, mapper.readTree(parser)));
                start = -1;
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            // After other documents the broken one is named by its first line (a JSON line cut short
            // fails only where the next begins); in one document, where the parser stopped.
            if (!values.isEmpty() && start > 0) line = start;
            String where = line > 1 || !values.isEmpty() ? "line " + line + ": " : "";
            throw new ToksException(where + "not a JSON document: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ToksException("not a JSON document: " + firstLine(e.getMessage()));
        }
        return values;
    }

    private static List<ResultDocument> mergeLinesOfOneCommand(List<ResultDocument> documents) {
        List<ResultDocument> merged = new ArrayList<>();
        for (ResultDocument next : documents) {
            ResultDocument last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && sameCommand(last, next)) {
                List<Run> runs = new ArrayList<>(last.runs());
                runs.addAll(next.runs());
                // The later line's manifest is the fuller one: a target's facts grow as models load.
                merged.set(merged.size() - 1, new ResultDocument(next.schema(), next.command(), next.manifest(), runs, next.incomplete()));
            } else {
                merged.add(next);
            }
        }
        return merged;
    }

    /** Whether two documents were written by one run of one command (its -o jsonl lines). */
    private static boolean sameCommand(ResultDocument a, ResultDocument b) {
        Manifest ma = a.manifest(), mb = b.manifest();
        return a.command().equals(b.command()) && ma.createdAt().equals(mb.createdAt())
                && Objects.equals(ma.toks(), mb.toks()) && Objects.equals(ma.machine(), mb.machine())
                && Objects.equals(ma.jvm(), mb.jvm()) && Objects.equals(ma.parameters(), mb.parameters());
    }

    static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
