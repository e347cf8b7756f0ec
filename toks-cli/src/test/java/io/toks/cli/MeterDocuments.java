package io.toks.cli;

import io.toks.core.meter.TokenMeter;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Result documents of a TokenMeter, measured against a fake clock so every figure is known: 3
 * training steps of 2048 tokens, then 24 calls 50 ms apart, each with a 16-token prompt and 12
 * one-token chunks (ttft 30-35 ms, gaps of 2, 3 or 4 ms), ended 1 ms after the last token. Every
 * time is divided by {@code speed}.
 */
final class MeterDocuments {

    private MeterDocuments() {}

    static ResultDocument measured(String model, double speed) {
        long[] now = {0};
        TokenMeter meter = TokenMeter.create(model, () -> now[0]);
        double t = 0;
        for (int k = 0; k < 3; k++) {
            t += 200 + 10 * k;
            now[0] = nanos(t, speed);
            meter.trainStep(2048);
        }
        for (int i = 0; i < 24; i++) {
            t = 1000 + 50 * i;
            now[0] = nanos(t, speed);
            try (TokenMeter.Call call = meter.start(16)) {
                t += 30 + i % 6;
                now[0] = nanos(t, speed);
                call.firstToken();
                for (int k = 1; k < 12; k++) {
                    t += 2 + i % 3;
                    now[0] = nanos(t, speed);
                    call.tokens(1);
                }
                now[0] = nanos(t + 1, speed);
            }
        }
        return meter.result();
    }

    static Path write(Path file, String model, double speed) throws IOException {
        return Files.writeString(file, ResultJson.write(measured(model, speed)));
    }

    private static long nanos(double ms, double speed) {
        return Math.round(ms / speed * 1e6);
    }
}
