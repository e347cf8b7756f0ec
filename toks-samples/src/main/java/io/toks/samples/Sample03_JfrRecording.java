package io.toks.samples;

import io.toks.core.jfr.JfrTrace;
import io.toks.core.jfr.ToksEvents;
import io.toks.core.meter.TokenMeter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jdk.jfr.Recording;

/**
 * Sample 03: tok/s in a Java Flight Recorder recording.
 *
 * <p>A {@link TokenMeter} call is also a JFR event (toks.Request, with its token counts and time
 * to first token) and each {@code tokens(n)} a toks.TokenChunk event, whenever a recording has
 * them enabled: nothing to change in the measured code. Here the program records itself with
 * {@code jdk.jfr.Recording}; in production start JFR from outside instead
 * ({@code java -XX:StartFlightRecording:filename=app.jfr ...} or {@code jcmd PID JFR.start}).
 *
 * <p>What to look at:
 * <ol>
 *   <li>The events named in {@link ToksEvents}: enable them in the recording (custom events are
 *       on by default; naming them keeps them on under any settings file).</li>
 *   <li>{@link JfrTrace#read} reads toks's events back; {@code toks trace FILE.jfr -o trace.json}
 *       turns the same file into a Perfetto trace (ui.perfetto.dev), {@code --summary} into a table.
 *       JDK Mission Control opens the file as it is.</li>
 * </ol>
 *
 * <p>Run: {@code java -cp toks-samples/target/toks-samples.jar io.toks.samples.Sample03_JfrRecording [OUT.jfr [TRACE.json]]}
 */
public class Sample03_JfrRecording {

    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("toks-sample-", ".jfr");
        TokenMeter meter = TokenMeter.create("stand-in");
        try (Recording recording = new Recording()) {
            recording.enable(ToksEvents.REQUEST_EVENT);
            recording.enable(ToksEvents.CHUNK_EVENT);
            recording.start();
            for (int request = 0; request < 3; request++) {
                try (TokenMeter.Call call = meter.start(16)) {
                    for (int chunk = 0; chunk < 4; chunk++) {
                        busyWork();
                        call.tokens(2);          // a streamed chunk of two tokens: one TokenChunk event
                    }
                }
            }
            recording.stop();
            recording.dump(file);
        }

        JfrTrace trace = JfrTrace.read(file);
        JfrTrace.Summary summary = trace.summary();
        System.out.printf(Locale.ROOT, "recorded %d toks events: %d requests, %d output tokens%n", trace.spans().size(), summary.requests(),
                summary.outputTokens());
        for (JfrTrace.Span span : trace.spans()) {
            if (span.event().equals(ToksEvents.REQUEST_EVENT)) {
                System.out.printf(Locale.ROOT, "request %s: %s output tokens, ttft %.3f ms, %.3f ms in all%n", span.fields().get("requestId"),
                        span.fields().get("outputTokens"), ((Number) span.fields().get("ttftNanos")).longValue() / 1e6,
                        span.durationNanos() / 1e6);
            }
        }
        if (args.length > 1) {
            try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
                trace.writeChromeTrace(out);    // what toks trace FILE.jfr -o TRACE.json writes
            }
            System.out.println("wrote " + args[1]);
        }
    }

    /** Stands in for generating a chunk: a little arithmetic the JIT cannot drop. */
    static volatile double sink;

    private static void busyWork() {
        double x = 0;
        for (int i = 1; i < 20_000; i++) x += Math.sqrt(i);
        sink = x;
    }
}
