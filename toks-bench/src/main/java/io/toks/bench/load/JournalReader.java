package io.toks.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.ToksException;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.Usage;
import io.toks.http.openai.StreamedCompletion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link RequestJournal} back into its levels, every line checked as it is read: counts
 * are not negative, a request's times are in the order the client takes them (due, sent, head,
 * each chunk, end), its output count follows from what the line recorded. A journal that breaks
 * any of it was not written by toks as it stands (edited, corrupted): the summary of it would be
 * numbers that cannot be, so reading stops with the file, the line and the field.
 */
final class JournalReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalReader() {}

    /**
     * The levels recorded in a journal, in order. A level cut short (no end line) ends at its last
     * request; a truncated last line (a crash mid-write) is skipped.
     */
    static List<RequestJournal.AnchoredLevel> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToksException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
        Map<String, LevelBuilder> levels = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) continue;
            JsonNode o;
            try {
                o = JSON.readTree(text);
            } catch (IOException e) {
                if (i == lines.size() - 1) break; // the last line of a crashed run
                throw new ToksException(file + " line " + (i + 1) + " is not JSON: not a toks journal?");
            }
            if (o == null || !o.isObject()) throw new ToksException(file + " line " + (i + 1) + " is not a JSON object: not a toks journal?");
            JournalLine line = new JournalLine(file, i + 1, o);
            String type = line.text("type", "");
            String label = line.text("level", "");
            switch (type) {
                case "level_start" -> {
                    LevelBuilder b = new LevelBuilder(shape(line), line.time("start_ns"));
                    if (line.has("start_epoch_ns")) b.startEpoch = line.time("start_epoch_ns");
                    levels.put(label, b);
                }
                case "level_end" -> {
                    LevelBuilder b = levels.get(label);
                    if (b != null) {
                        b.start = line.time("start_ns", b.start);
                        b.end = line.time("end_ns");
                        if (b.end < b.start) throw line.invalid("end_ns", "is before start_ns: the level ends before it began");
                        b.cpu = line.number("client_cpu_s", 0, -1, -1);
                    }
                }
                case "request" -> {
                    LevelBuilder b = levels.get(label);
                    if (b == null) throw line.invalid("request of unknown level '" + label + "'");
                    b.results.add(request(line));
                }
                default -> throw line.invalid("unknown record type '" + type + "': not a toks journal?");
            }
        }
        if (levels.isEmpty()) throw new ToksException(file + " holds no load levels");
        List<RequestJournal.AnchoredLevel> out = new ArrayList<>();
        for (LevelBuilder b : levels.values()) out.add(new RequestJournal.AnchoredLevel(b.build(), b.startEpoch));
        return out;
    }

    private static LoadShape shape(JournalLine line) {
        if (line.has("concurrency")) {
            int streams = line.count("concurrency", 1);
            return new LoadShape.Concurrency(streams);
        }
        if (line.has("rate")) {
            double rate = line.number("rate", Double.NEGATIVE_INFINITY, Double.NaN, Double.NaN);
            try { // a rate of 0 or less, an unknown arrival: the shape's own checks say so
                return new LoadShape.Rate(rate, LoadShape.Arrival.parse(line.text("arrival", "poisson")));
            } catch (IllegalArgumentException e) {
                throw line.invalid(e.getMessage());
            }
        }
        throw line.invalid("level without concurrency or rate");
    }

    private static RequestResult request(JournalLine line) {
        long scheduled = line.time("scheduled_ns"), sent = line.time("sent_ns"), head = line.time("head_ns", 0), end = line.time("end_ns");
        int status = line.count("status", 0, 0);
        if (status != 0 && (status < 100 || status > 599)) throw line.invalid("status", "is " + status + ": not an HTTP status");
        long[] times = line.times("chunk_ns");
        int[] tokens = line.counts("chunk_tokens", -1);
        if (tokens == null) {
            tokens = new int[times.length];
            java.util.Arrays.fill(tokens, -1);
        } else if (tokens.length != times.length) {
            throw line.invalid("chunk_tokens", "has " + tokens.length + " entries for " + times.length + " chunk_ns");
        }
        ErrorKind error = line.constant("error", ErrorKind.class, null);
        if (error == null && (status < 200 || status > 299)) {
            throw line.invalid("status", "is " + status + " in a request that succeeded: a success is a 2xx answer");
        }
        inOrder(line, scheduled, sent, head, times, end, error == null);
        JournalLine u = line.object("usage");
        // The server's words as recorded, any integer: whether they can be believed is the analysis's question.
        Usage usage = u == null ? null : new Usage(u.count("prompt_tokens", Integer.MIN_VALUE, -1),
                u.count("completion_tokens", Integer.MIN_VALUE, -1));
        String finish = line.text("finish_reason", null);
        StreamedCompletion c = new StreamedCompletion(sent, head, end, status, times, tokens, line.text("text", ""), usage,
                finish == null ? null : FinishReason.fromWire(finish), error, line.text("error_message", null));
        LoadPrompt prompt = new LoadPrompt("", line.count("input_tokens", -1, -1), line.count("requested_tokens", -1, -1));
        int retokenized = line.count("retokenized", -1, -1);
        int output = line.count("output_tokens", 0);
        TokenCountSource source = line.constant("output_source", TokenCountSource.class, TokenCountSource.CHUNKS_COUNTED);
        RequestResult derived = RequestResult.of(line.text("id", ""), scheduled, prompt, c, retokenized);
        // A journal written before toks checked usage counted a usage that cannot be true: its
        // request is counted again by today's rule, as the live run would now count it.
        boolean countedBeforeTheCheck = source == TokenCountSource.SERVER_USAGE && derived.usageProblem() != null;
        if (!countedBeforeTheCheck && (derived.outputSource() != source || derived.outputTokens() != output)) {
            throw line.invalid("output_tokens", "is " + output + " (" + source + "), but the line's usage, retokenized and chunks give "
                    + derived.outputTokens() + " (" + derived.outputSource() + ")");
        }
        return derived;
    }

    /**
     * A request's times in the order the client takes them: due, then sent, the response head (0:
     * none came), each text chunk, the end. A failed request's send time is 0 when it never left
     * (a connect that failed); a monotonic clock may read 0 too, so a success's is a time.
     */
    private static void inOrder(JournalLine line, long scheduled, long sent, long head, long[] chunks, long end, boolean succeeded) {
        boolean left = succeeded || sent != 0;
        if (left && sent < scheduled) throw line.invalid("sent_ns", "is before scheduled_ns: a request leaves when it is due or later");
        if (!left && (head != 0 || chunks.length > 0)) {
            throw line.invalid(head != 0 ? "head_ns" : "chunk_ns", "holds an answer to a request that never left (sent_ns 0)");
        }
        if (head != 0 && head < sent) throw line.invalid("head_ns", "is before sent_ns: the answer came before the request left");
        long previous = head != 0 ? head : left ? sent : scheduled;
        String previousName = head != 0 ? "head_ns" : left ? "sent_ns" : "scheduled_ns";
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i] < previous) throw line.invalid("chunk_ns[" + i + "]", "is before " + previousName);
            previous = chunks[i];
            previousName = "chunk_ns[" + i + "]";
        }
        if (end < previous) throw line.invalid("end_ns", "is before " + previousName + ": a request ends after all it received");
    }

    private static final class LevelBuilder {
        final LoadShape shape;
        long start;
        Long startEpoch;
        long end = Long.MIN_VALUE;
        double cpu = -1;
        final List<RequestResult> results = new ArrayList<>();

        LevelBuilder(LoadShape shape, long start) {
            this.shape = shape;
            this.start = start;
        }

        LevelRun build() {
            long e = end;
            if (e == Long.MIN_VALUE) for (RequestResult r : results) e = Math.max(e, r.completion().endNanos());
            if (e == Long.MIN_VALUE) e = start;
            return new LevelRun(shape, start, e, List.copyOf(results), cpu);
        }
    }
}
