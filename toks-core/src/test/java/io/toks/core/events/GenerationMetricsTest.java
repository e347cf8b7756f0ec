package io.toks.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The metric formulas of docs/metrics.md on a trace with a known schedule. */
class GenerationMetricsTest {

    private static final long MS = 1_000_000L;

    @Test
    void computesEveryMetricFromTheSchedule() {
        var t = new GenerationTrace(2);
        t.onPrefillStart(1000 * MS, 50);       // request sent at 1000 ms, 50 prompt tokens
        t.onPrefillEnd(1100 * MS);             // prefill took 100 ms
        for (int i = 0; i < 11; i++) t.onToken((1105 + 10 * i) * MS, i); // first at 105 ms, then every 10 ms
        t.onFinish(1210 * MS, 11, FinishReason.LENGTH);

        GenerationMetrics m = GenerationMetrics.of(t, TokenCountSource.ENGINE_IDS);
        assertThat(m.promptTokens()).isEqualTo(50);
        assertThat(m.generatedTokens()).isEqualTo(11);
        assertThat(m.prefillSeconds()).isCloseTo(0.100, within(1e-12));
        assertThat(m.prefillTps()).isCloseTo(500, within(1e-9));
        assertThat(m.ttftSeconds()).isCloseTo(0.105, within(1e-12));
        assertThat(m.decodeTps()).isCloseTo(100, within(1e-9));        // 10 gaps in 100 ms
        assertThat(m.e2eSeconds()).isCloseTo(0.210, within(1e-12));
        assertThat(m.tpotSeconds()).isCloseTo((0.210 - 0.105) / 10, within(1e-12));
        assertThat(t.tokenIds()).hasSize(11).startsWith(0, 1, 2);
    }

    @Test
    void decodeRateIsUndefinedForOneToken() {
        var t = new GenerationTrace(1);
        t.onPrefillStart(0, 3);
        t.onPrefillEnd(MS);
        t.onToken(2 * MS, 7);
        t.onFinish(3 * MS, 1, FinishReason.STOP);
        GenerationMetrics m = GenerationMetrics.of(t, TokenCountSource.ENGINE_IDS);
        assertThat(m.decodeTps()).isNaN();
        assertThat(m.tpotSeconds()).isNaN();
        assertThat(m.ttftSeconds()).isCloseTo(0.002, within(1e-12));
    }
}
