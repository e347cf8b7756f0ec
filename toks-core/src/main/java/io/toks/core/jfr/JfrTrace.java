package io.toks.core.jfr;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.toks.core.ToksException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * toks's events read back from a JFR recording, in the order they happened: written as a
 * Chrome / Perfetto trace (the JSON trace-event format ui.perfetto.dev opens) or summarized as
 * where the time went.
 */
public final class JfrTrace {

    /** One toks event: its name, thread, nanoTime span and fields. */
    public record Span(String event, long threadId, String threadName, long startNanos, long durationNanos, Map<String, Object> fields) {}

    private final List<Span> spans;

    private JfrTrace(List<Span> spans) {
        this.spans = spans;
    }

    /** The toks events of {@code file}; a file that is not a JFR recording fails with one line. */
    public static JfrTrace read(Path file) {
        if (!Files.isRegularFile(file)) throw new ToksException(file + ": no such file");
        List<Span> spans = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String name = e.getEventType().getName();
                if (!name.startsWith("toks.")) continue;
                Map<String, Object> fields = new LinkedHashMap<>();
                e.getFields().forEach(f -> {
                    String n = f.getName();
                    if (!n.equals("startNanos") && !n.equals("durationNanos") && !n.equals("startTime") && !n.equals("duration")
                            && !n.equals("eventThread") && !n.equals("stackTrace")) fields.put(n, e.getValue(n));
                });
                RecordedThread t = e.getThread();
                spans.add(new Span(name, t == null ? 0 : t.getJavaThreadId(), t == null ? "?" : t.getJavaName(),
                        e.getLong("startNanos"), e.getLong("durationNanos"), fields));
            }
        } catch (IOException | RuntimeException e) {
            throw new ToksException(file + ": not a readable JFR recording (" + e.getMessage() + ")", e);
        }
        spans.sort(Comparator.comparingLong(Span::startNanos));
        return new JfrTrace(List.copyOf(spans));
    }

    /** Every toks event, ordered by start. */
    public List<Span> spans() {
        return spans;
    }

    /**
     * The trace-event JSON: engine work (prefill, decode steps, kernels) on its threads in process
     * 1; each request on its own track in process 2 with its token chunks as instants. Times are
     * microseconds from the first event.
     */
    public void writeChromeTrace(OutputStream out) throws IOException {
        long origin = spans.isEmpty() ? 0 : spans.get(0).startNanos();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeArrayFieldStart("traceEvents");
            metadata(g, 1, 0, "process_name", "toks engine");
            metadata(g, 2, 0, "process_name", "toks requests");
            Map<Long, String> threads = new TreeMap<>();
            for (Span s : spans) {
                boolean request = s.event().equals(ToksEvents.REQUEST_EVENT) || s.event().equals(ToksEvents.CHUNK_EVENT);
                long tid = request ? ((Number) s.fields().getOrDefault("requestId", 0L)).longValue() : s.threadId();
                if (!request) threads.putIfAbsent(tid, s.threadName());
                g.writeStartObject();
                g.writeStringField("name", label(s));
                g.writeStringField("cat", s.event());
                boolean instant = s.event().equals(ToksEvents.CHUNK_EVENT);
                g.writeStringField("ph", instant ? "i" : "X");
                if (instant) g.writeStringField("s", "t");
                g.writeNumberField("ts", (s.startNanos() - origin) / 1e3);
                if (!instant) g.writeNumberField("dur", s.durationNanos() / 1e3);
                g.writeNumberField("pid", request ? 2 : 1);
                g.writeNumberField("tid", tid);
                g.writeObjectFieldStart("args");
                for (var f : s.fields().entrySet()) {
                    if (f.getValue() instanceof Number n) g.writeNumberField(f.getKey(), n.doubleValue());
                    else if (f.getValue() != null) g.writeStringField(f.getKey(), f.getValue().toString());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            for (var t : threads.entrySet()) metadata(g, 1, t.getKey(), "thread_name", t.getValue());
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void metadata(JsonGenerator g, int pid, long tid, String what, String name) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", what);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", name);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** What a span is called in the trace: a kernel by its operation and type, a request by its id. */
    static String label(Span s) {
        return switch (s.event()) {
            case ToksEvents.KERNEL_EVENT -> s.fields().get("op") + (s.fields().get("type") == null ? "" : " " + s.fields().get("type"));
            case ToksEvents.DECODE_STEP_EVENT -> "decode step";
            case ToksEvents.PREFILL_EVENT -> "prefill " + s.fields().get("tokens");
            case ToksEvents.REQUEST_EVENT -> "request " + s.fields().get("requestId") + " (" + s.fields().get("source") + ")";
            case ToksEvents.CHUNK_EVENT -> "+" + s.fields().get("tokens");
            case ToksEvents.TRAINING_STEP_EVENT -> "training step";
            default -> s.event();
        };
    }

    /**
     * Where the time went: kernel time by operation and weight type, with counts; and the
     * totals of prefill, decode steps and requests.
     *
     * @param kernels        by "operation type" label, in descending total time
     * @param kernelNanos    all kernel time
     * @param prefillNanos   all prefill time
     * @param decodeNanos    all decode-step time
     * @param decodeSteps    decode steps
     * @param requests       requests recorded
     * @param outputTokens   output tokens of those requests
     */
    public record Summary(List<Row> kernels, long kernelNanos, long prefillNanos, long decodeNanos, int decodeSteps, int requests,
                          long outputTokens) {
        /** One operation (and weight type): how often, how long in all. */
        public record Row(String operation, long count, long totalNanos) {}
    }

    public Summary summary() {
        Map<String, long[]> byOp = new LinkedHashMap<>();
        long kernel = 0, prefill = 0, decode = 0, output = 0;
        int steps = 0, requests = 0;
        for (Span s : spans) {
            switch (s.event()) {
                case ToksEvents.KERNEL_EVENT -> {
                    long[] a = byOp.computeIfAbsent(label(s), k -> new long[2]);
                    a[0]++;
                    a[1] += s.durationNanos();
                    kernel += s.durationNanos();
                }
                case ToksEvents.PREFILL_EVENT -> prefill += s.durationNanos();
                case ToksEvents.DECODE_STEP_EVENT -> {
                    decode += s.durationNanos();
                    steps++;
                }
                case ToksEvents.REQUEST_EVENT -> {
                    requests++;
                    output += ((Number) s.fields().getOrDefault("outputTokens", 0)).longValue();
                }
                default -> { }
            }
        }
        List<Summary.Row> rows = new ArrayList<>();
        byOp.forEach((op, a) -> rows.add(new Summary.Row(op, a[0], a[1])));
        rows.sort(Comparator.comparingLong(Summary.Row::totalNanos).reversed());
        return new Summary(List.copyOf(rows), kernel, prefill, decode, steps, requests, output);
    }
}
