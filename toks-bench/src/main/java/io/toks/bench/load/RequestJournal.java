package io.toks.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.ToksException;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.http.openai.StreamedCompletion;
import io.toks.core.events.Usage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An append-only JSONL record of a load run: a line when each level starts and ends, and a line
 * per request written (and flushed) the moment it finishes, so Ctrl-C or a crash keeps everything
 * gathered so far. {@link #read} rebuilds the levels, from which the same summary can be computed
 * again ({@code toks load --from-journal}). Times are the client's monotonic nanoseconds: only
 * their differences mean anything.
 */
public final class RequestJournal implements AutoCloseable {

    /** 2 added the wall-clock anchor of each level ({@code start_epoch_ns}), which merging needs. */
    static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private String level = "";

    public RequestJournal(Path file) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ToksException("cannot write journal " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void levelStart(LoadShape shape, long startNanos) {
        this.level = shape.label();
        // The wall clock beside the monotonic one: journals of several clients line up by it.
        Instant wall = Instant.now();
        ObjectNode o = JSON.createObjectNode().put("type", "level_start").put("version", VERSION).put("level", level)
                .put("start_ns", startNanos).put("start_epoch_ns", wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
        switch (shape) {
            case LoadShape.Concurrency c -> o.put("concurrency", c.streams());
            case LoadShape.Rate r -> o.put("rate", r.perSecond()).put("arrival", r.arrival().name().toLowerCase(Locale.ROOT));
        }
        write(o);
    }

    public synchronized void levelEnd(LevelRun run) {
        write(JSON.createObjectNode().put("type", "level_end").put("level", run.shape().label())
                .put("start_ns", run.startNanos()).put("end_ns", run.endNanos()).put("client_cpu_s", run.clientCpuSeconds()));
    }

    public synchronized void request(RequestResult r) {
        StreamedCompletion c = r.completion();
        ObjectNode o = JSON.createObjectNode().put("type", "request").put("level", level).put("id", r.id())
                .put("scheduled_ns", r.scheduledNanos()).put("sent_ns", c.sentNanos()).put("head_ns", c.headNanos())
                .put("end_ns", c.endNanos()).put("status", c.status())
                .put("input_tokens", r.prompt().inputTokens()).put("requested_tokens", r.prompt().outputTokens())
                .put("output_tokens", r.outputTokens()).put("output_source", r.outputSource().name())
                .put("retokenized", r.retokenized());
        ArrayNode times = o.putArray("chunk_ns");
        for (long t : c.chunkNanos()) times.add(t);
        ArrayNode tokens = o.putArray("chunk_tokens");
        for (int k : c.chunkTokens()) tokens.add(k);
        if (c.usage() != null) o.putObject("usage").put("prompt_tokens", c.usage().promptTokens())
                .put("completion_tokens", c.usage().completionTokens());
        if (c.finishReason() != null) o.put("finish_reason", c.finishReason().wireName());
        if (c.error() != null) o.put("error", c.error().name()).put("error_message", c.errorMessage());
        o.put("text", c.text());
        write(o);
    }

    private void write(ObjectNode o) {
        try {
            out.write(o.toString());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("journal write failed", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The levels recorded in a journal, in order. A level cut short (no end line) ends at its last
     * request; a truncated last line (a crash mid-write) is skipped.
     */
    public static List<LevelRun> read(Path file) {
        return readAnchored(file).stream().map(AnchoredLevel::run).toList();
    }

    /**
     * A level as recorded, with the wall-clock time of its start in epoch nanoseconds (null in
     * journals of version 1, which did not record it).
     */
    record AnchoredLevel(LevelRun run, Long startEpochNanos) {}

    static List<AnchoredLevel> readAnchored(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToksException("cannot read journal " + file + ": " + e.getMessage(), e);
        }
        Map<String, LevelBuilder> levels = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                if (i == lines.size() - 1) break; // the last line of a crashed run
                throw new ToksException(file + " line " + (i + 1) + " is not JSON: not a toks journal?");
            }
            String type = o.path("type").asText();
            String label = o.path("level").asText();
            switch (type) {
                case "level_start" -> {
                    LevelBuilder b = new LevelBuilder(shape(o, file, i), o.path("start_ns").asLong());
                    if (o.has("start_epoch_ns")) b.startEpoch = o.get("start_epoch_ns").asLong();
                    levels.put(label, b);
                }
                case "level_end" -> {
                    LevelBuilder b = levels.get(label);
                    if (b != null) {
                        b.start = o.path("start_ns").asLong(b.start);
                        b.end = o.path("end_ns").asLong();
                        b.cpu = o.path("client_cpu_s").asDouble(-1);
                    }
                }
                case "request" -> {
                    LevelBuilder b = levels.get(label);
                    if (b == null) throw new ToksException(file + " line " + (i + 1) + ": request of unknown level '" + label + "'");
                    b.results.add(request(o));
                }
                default -> throw new ToksException(file + " line " + (i + 1) + ": unknown record type '" + type + "': not a toks journal?");
            }
        }
        if (levels.isEmpty()) throw new ToksException(file + " holds no load levels");
        List<AnchoredLevel> out = new ArrayList<>();
        for (LevelBuilder b : levels.values()) out.add(new AnchoredLevel(b.build(), b.startEpoch));
        return out;
    }

    private static LoadShape shape(JsonNode o, Path file, int line) {
        if (o.has("concurrency")) return new LoadShape.Concurrency(o.get("concurrency").asInt());
        if (o.has("rate")) return new LoadShape.Rate(o.get("rate").asDouble(), LoadShape.Arrival.parse(o.path("arrival").asText("poisson")));
        throw new ToksException(file + " line " + (line + 1) + ": level without concurrency or rate");
    }

    private static RequestResult request(JsonNode o) {
        JsonNode t = o.path("chunk_ns"), k = o.path("chunk_tokens");
        long[] times = new long[t.size()];
        int[] tokens = new int[t.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = t.get(i).asLong();
            tokens[i] = k.has(i) ? k.get(i).asInt() : -1;
        }
        Usage usage = o.has("usage") ? new Usage(o.get("usage").path("prompt_tokens").asInt(-1),
                o.get("usage").path("completion_tokens").asInt(-1)) : null;
        ErrorKind error = o.has("error") ? ErrorKind.valueOf(o.get("error").asText()) : null;
        StreamedCompletion c = new StreamedCompletion(o.path("sent_ns").asLong(), o.path("head_ns").asLong(), o.path("end_ns").asLong(),
                o.path("status").asInt(), times, tokens, o.path("text").asText(""), usage,
                o.has("finish_reason") ? FinishReason.fromWire(o.get("finish_reason").asText()) : null, error,
                o.has("error_message") ? o.get("error_message").asText() : null);
        LoadPrompt prompt = new LoadPrompt("", o.path("input_tokens").asInt(-1), o.path("requested_tokens").asInt(-1));
        return new RequestResult(o.path("id").asText(), o.path("scheduled_ns").asLong(), prompt, c,
                o.path("output_tokens").asInt(), TokenCountSource.valueOf(o.path("output_source").asText("CHUNKS_COUNTED")),
                o.path("retokenized").asInt(-1));
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
