package io.toks.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.ToksException;
import io.toks.http.openai.StreamedCompletion;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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
     * The levels recorded in a journal, in order, every line checked ({@link JournalReader}). A
     * level cut short (no end line) ends at its last request; a truncated last line (a crash
     * mid-write) is skipped.
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
        return JournalReader.read(file);
    }
}
