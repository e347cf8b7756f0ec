package io.toks.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The metric formulas of docs/metrics.md on traces with a known schedule. */
class RequestMetricsTest {

    private static final long MS = 1_000_000L;

    @Test
    void computesEveryMetricFromAnEngineSchedule() {
        var t = new RequestTrace(2);
        t.requestSent(1000 * MS);                // handed to the engine at 1000 ms
        t.prefillDone(1100 * MS, 50);           // 50 prompt tokens, prefill took 100 ms
        for (int i = 0; i < 11; i++) t.tokens((1105 + 10 * i) * MS, 1, TokenCountSource.ENGINE_IDS, i);
        t.finished(1210 * MS, FinishReason.LENGTH, new Usage(50, 11));

        RequestMetrics m = RequestMetrics.of(t);
        assertThat(m.promptTokens()).isEqualTo(50);
        assertThat(m.outputTokens()).isEqualTo(11);
        assertThat(m.outputSource()).isEqualTo(TokenCountSource.ENGINE_IDS);
        assertThat(m.prefillSeconds()).isCloseTo(0.100, within(1e-12));
        assertThat(m.prefillTps()).isCloseTo(500, within(1e-9));
        assertThat(m.ttftSeconds()).isCloseTo(0.105, within(1e-12));
        assertThat(m.decodeTps()).isCloseTo(100, within(1e-9));        // 10 gaps in 100 ms
        assertThat(m.e2eSeconds()).isCloseTo(0.210, within(1e-12));
        assertThat(m.tpotSeconds()).isCloseTo((0.210 - 0.105) / 10, within(1e-12));
        assertThat(t.tokenIds()).hasSize(11).startsWith(0, 1, 2);
        assertThat(t.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void decodeRateIsUndefinedForOneToken() {
        var t = new RequestTrace(1);
        t.requestSent(0);
        t.prefillDone(MS, 3);
        t.tokens(2 * MS, 1, TokenCountSource.ENGINE_IDS, 7);
        t.finished(3 * MS, FinishReason.STOP, null);
        RequestMetrics m = RequestMetrics.of(t);
        assertThat(m.decodeTps()).isNaN();
        assertThat(m.tpotSeconds()).isNaN();
        assertThat(m.ttftSeconds()).isCloseTo(0.002, within(1e-12));
    }

    @Test
    void aStreamCountsFromItsDueTimeWithTheServersTokenCount() {
        var t = new RequestTrace(4);
        t.requestDue(0);                         // scheduled at 0, sent 5 ms late
        t.requestSent(5 * MS);
        t.tokens(50 * MS, 1, TokenCountSource.CHUNKS_COUNTED, -1);
        t.tokens(70 * MS, 1, TokenCountSource.CHUNKS_COUNTED, -1);
        t.finished(90 * MS, FinishReason.fromWire("length"), new Usage(8, 5));
        RequestMetrics m = RequestMetrics.of(t);
        assertThat(m.outputTokens()).isEqualTo(5);
        assertThat(m.outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
        assertThat(m.ttftNanos()).isEqualTo(50 * MS);  // from the due time: the late send is latency
        assertThat(m.prefillTps()).isNaN();            // a server's prefill is not observable
        assertThat(m.tpotNanos()).isCloseTo((90 - 50) * MS / 4.0, within(1e-6));
        assertThat(m.decodeTps()).isCloseTo(4 / 0.020, within(1e-9));
        assertThat(t.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void withoutUsageChunksCountAsOneTokenEachUnlessEveryChunkSaidItsCount() {
        var counted = new RequestTrace(2);
        counted.requestSent(0);
        counted.tokens(MS, 2, TokenCountSource.SERVER_USAGE, -1);
        counted.tokens(2 * MS, 3, TokenCountSource.SERVER_USAGE, -1);
        counted.finished(3 * MS, FinishReason.STOP, null);
        assertThat(RequestMetrics.of(counted).outputTokens()).isEqualTo(5);
        assertThat(RequestMetrics.of(counted).outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);

        var assumed = new RequestTrace(2);
        assumed.requestSent(0);
        assumed.tokens(MS, 2, TokenCountSource.SERVER_USAGE, -1);
        assumed.tokens(2 * MS, 1, TokenCountSource.CHUNKS_COUNTED, -1);
        assumed.finished(3 * MS, FinishReason.STOP, null);
        assertThat(RequestMetrics.of(assumed).outputTokens()).isEqualTo(2);
        assertThat(RequestMetrics.of(assumed).outputSource()).isEqualTo(TokenCountSource.CHUNKS_COUNTED);
    }

    @Test
    void serversFinishReasonsMapToTheVocabulary() {
        assertThat(FinishReason.fromWire("stop")).isEqualTo(FinishReason.STOP);
        assertThat(FinishReason.fromWire("length")).isEqualTo(FinishReason.LENGTH);
        assertThat(FinishReason.fromWire("content_filter")).isEqualTo(FinishReason.OTHER);
        assertThat(FinishReason.fromWire(null)).isNull();
        assertThat(FinishReason.CONTEXT_FULL.wireName()).isEqualTo("length");
    }
}
