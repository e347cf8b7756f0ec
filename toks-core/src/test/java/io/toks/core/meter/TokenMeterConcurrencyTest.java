package io.toks.core.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.Clock;
import io.toks.core.events.TokenCountSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One meter, eight threads streaming calls and training steps at once, a ninth reading: the totals are exact. */
class TokenMeterConcurrencyTest {

    static final int THREADS = 8, CALLS = 400, CHUNKS = 40, STEPS = 100;

    @Test
    void eightThreadsAddUpExactly() throws Exception {
        TokenMeter meter = TokenMeter.create("shared", Clock.SYSTEM);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1)) {
            for (int t = 0; t < THREADS; t++) {
                work.add(pool.submit(() -> {
                    go.await();
                    for (int c = 0; c < CALLS; c++) {
                        try (TokenMeter.Call call = meter.start(16)) {
                            call.firstToken();
                            // Every 10th chunk carries three tokens: 36 single-token chunks after the first, 3 triple ones.
                            for (int k = 1; k < CHUNKS; k++) call.tokens(k % 10 == 0 ? 3 : 1);
                            if (c % 4 == 0) call.usage(16, 1 + 36 + 9); // a quarter with the server's (agreeing) counts
                            if (c % 50 == 49) call.failed();
                        }
                        if (c % (CALLS / STEPS) == 0) meter.trainStep(10);
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                while (!done.get()) assertThat(meter.stats().outputTokens() % 46).isZero(); // never half a call
                return null;
            });
            go.countDown();
            for (Future<?> f : work) f.get();
            done.set(true);
            reader.get();
        }
        TokenStats s = meter.stats();
        long failed = THREADS * (CALLS / 50);
        long ok = THREADS * CALLS - failed;
        assertThat(s.calls()).isEqualTo(THREADS * CALLS);
        assertThat(s.failed()).isEqualTo(failed);
        assertThat(s.succeeded()).isEqualTo(ok);
        assertThat(s.inFlight()).isZero();
        assertThat(s.outputTokens()).isEqualTo(ok * 46);
        assertThat(s.promptTokens()).isEqualTo(ok * 16);
        assertThat(s.chunks()).isEqualTo(ok * CHUNKS);
        assertThat(s.multiTokenChunks()).isEqualTo(ok * 3);
        assertThat(s.countDisagreements()).isZero();
        long withUsage = THREADS * (CALLS / 4); // c % 4 == 0 never meets c % 50 == 49 (49, 99, ... are odd)
        assertThat(s.countSources()).isEqualTo(Map.of(TokenCountSource.SERVER_USAGE, withUsage, TokenCountSource.CHUNKS_COUNTED, ok - withUsage));
        assertThat(s.itl().n()).isEqualTo(ok * 36);
        assertThat(s.chunkGap().n()).isEqualTo(ok * (CHUNKS - 1));
        assertThat(s.ttft().n()).isEqualTo(ok);
        assertThat(s.e2e().samples()).hasSize((int) ok);
        assertThat(s.decodeTps().n()).isEqualTo(ok);
        assertThat(s.trainSteps()).isEqualTo(THREADS * STEPS);
        assertThat(s.trainTokens()).isEqualTo(THREADS * STEPS * 10L);
        assertThat(s.outputTps()).isPositive();
    }
}
