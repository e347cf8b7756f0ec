package io.toks.core.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.events.TokenCountSource;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meter against a fake clock: every figure of docs/metrics.md worked out by hand. */
class TokenMeterTest {

    private final FakeClock clock = new FakeClock();
    private final TokenMeter meter = TokenMeter.create("my-model", clock);

    /**
     * Five calls: A streams one token per chunk and then a chunk of two; B reports prefill and the
     * server's usage; C fails; D is not streamed (usage only); E's usage disagrees with its chunks.
     */
    private void fiveCalls() {
        TokenMeter.Call a = meter.start(10);                  // A: sent at 0 ms
        clock.at(100); a.firstToken();                        // ttft 100
        clock.at(101); a.tokens(1);                           // itl 1
        clock.at(102.5); a.tokens(1);                         // itl 1.5
        clock.at(104); a.tokens(2);                           // two tokens: a chunk gap (1.5), no itl
        clock.at(110); a.close();                             // e2e 110, 5 tokens, tpot 10/4, decode 4/4ms

        clock.at(200);
        try (TokenMeter.Call b = meter.start(20)) {           // B: sent at 200 ms
            clock.at(220); b.prefillDone();                   // prefill 20 ms of the 24 tokens usage states
            clock.at(250); b.tokens(1);                       // ttft 50
            clock.at(252); b.tokens(1);
            clock.at(254); b.tokens(1);
            b.usage(24, 3);
            clock.at(260);                                    // e2e 60, tpot 10/2, decode 2/4ms
        }

        clock.at(300);
        try (TokenMeter.Call c = meter.start(5)) {            // C: failed, in no figure but the counts and the window
            clock.at(310); c.tokens(1);
            c.failed();
            clock.at(320);
        }

        clock.at(400);
        try (TokenMeter.Call d = meter.start(8)) {            // D: not streamed: e2e and usage only
            d.usage(8, 7);
            clock.at(450);
        }

        clock.at(500);
        try (TokenMeter.Call e = meter.start(4)) {            // E: two chunks counted, five tokens by usage
            clock.at(510); e.tokens(1);                       // ttft 10
            clock.at(511); e.tokens(1);                       // a chunk gap only: the counts do not add up
            e.usage(4, 5);
            clock.at(520);                                    // e2e 20, tpot 10/4, decode 4/1ms
        }
    }

    @Test
    void everyFigureOfFiveCallsIsExact() {
        fiveCalls();
        TokenStats s = meter.stats();
        assertThat(s.model()).isEqualTo("my-model");
        assertThat(s.calls()).isEqualTo(5);
        assertThat(s.succeeded()).isEqualTo(4);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.inFlight()).isZero();
        assertThat(s.promptTokens()).isEqualTo(10 + 24 + 8 + 4);
        assertThat(s.outputTokens()).isEqualTo(5 + 3 + 7 + 5);
        assertThat(s.countSources()).isEqualTo(Map.of(TokenCountSource.CHUNKS_COUNTED, 1L, TokenCountSource.SERVER_USAGE, 3L));
        assertThat(s.countDisagreements()).isEqualTo(1);
        assertThat(s.chunks()).isEqualTo(4 + 3 + 2);
        assertThat(s.multiTokenChunks()).isEqualTo(1);
        assertThat(s.windowSeconds()).isEqualTo(0.52);

        assertThat(s.outputTps()).isCloseTo(20 / 0.52, within(1e-9));
        assertThat(s.totalTps()).isCloseTo(66 / 0.52, within(1e-9));
        assertThat(s.requestThroughput()).isCloseTo(4 / 0.52, within(1e-9));
        assertThat(s.metric(Metric.OUTPUT_TPS).n()).isEqualTo(1);

        assertThat(s.ttft().samples()).containsExactly(100, 50, 10);
        assertThat(s.ttft().mean()).isCloseTo(160 / 3.0, within(1e-9));
        assertThat(s.ttft().percentiles()).isEqualTo(Map.of("p50", 50.0, "p90", 100.0, "p95", 100.0, "p99", 100.0));
        assertThat(s.e2e().samples()).containsExactly(110, 60, 50, 20);
        assertThat(s.e2e().mean()).isEqualTo(60);
        assertThat(s.e2e().percentile("p50")).isEqualTo(50);
        assertThat(s.tpot().samples()).containsExactly(2.5, 5, 2.5);
        assertThat(s.decodeTps().samples()).usingComparatorWithPrecision(1e-9).containsExactly(1000, 500, 4000);
        assertThat(s.prefillTps().samples()).usingComparatorWithPrecision(1e-9).containsExactly(1200);

        // itl: gaps before one-token chunks of calls whose counts hold (A: 1, 1.5; B: 2, 2); chunk gaps: every gap.
        MetricSummary itl = s.itl();
        assertThat(itl.n()).isEqualTo(4);
        assertThat(itl.mean()).isCloseTo(1.625, within(1e-12));
        assertThat(itl.min()).isEqualTo(1.0);
        assertThat(itl.max()).isEqualTo(2.0);
        assertThat(itl.percentiles()).isEqualTo(Map.of("p50", 1.5, "p90", 2.0, "p95", 2.0, "p99", 2.0));
        assertThat(itl.samples()).isEmpty();
        assertThat(s.chunkGap().n()).isEqualTo(6);
        assertThat(s.chunkGap().mean()).isCloseTo(9 / 6.0, within(1e-12));
        assertThat(s.trainSteps()).isZero();
        assertThat(s.metrics()).doesNotContainKey(Metric.TRAIN_TPS);
    }

    @Test
    void trainingStepsAreTimedFromTheMeterCreationThenFromStepToStep() {
        clock.at(600);
        meter.trainStep(1000);
        clock.at(1000);
        meter.trainStep(2000);
        TokenStats s = meter.stats();
        assertThat(s.trainSteps()).isEqualTo(2);
        assertThat(s.trainTokens()).isEqualTo(3000);
        assertThat(s.trainSeconds()).isEqualTo(1.0);
        assertThat(s.trainTps()).isEqualTo(3000);
        assertThat(s.trainStepTps().samples()).usingComparatorWithPrecision(1e-9).containsExactly(1000 / 0.6, 5000);
        assertThat(s.calls()).isZero();
        assertThat(s.metrics()).containsOnlyKeys(Metric.TRAIN_TPS);
        assertThat(s.ttft().n()).isZero(); // not measured: n = 0, NaN figures, never null
        assertThat(s.ttft().mean()).isNaN();
        assertThat(s.outputTps()).isNaN();
    }

    @Test
    void openCallsAreInFlightAndInNoFigure() {
        TokenMeter.Call open = meter.start(3);
        clock.at(5);
        open.tokens(1);
        TokenStats s = meter.stats();
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.calls()).isZero();
        assertThat(s.outputTokens()).isZero();
        open.close();
        open.close(); // a second close changes nothing
        assertThat(meter.stats().calls()).isEqualTo(1);
        assertThat(meter.stats().inFlight()).isZero();
    }

    @Test
    void theSummaryForPeopleNamesTheFigures() {
        fiveCalls();
        meter.trainStep(100);
        assertThat(meter.stats().toString()).startsWith("my-model: 5 calls (4 ok, 1 failed, 0 in flight) in 0.520 s")
                .contains("output 20 tokens (counts from server_usage 3 calls, chunks_counted 1 call): 38.5 tok/s")
                .contains("ttft ms: mean 53.333, p50 50.000, p90 100.000, p99 100.000, max 100.000 (n=3)")
                .contains("training: 1 steps, 100 tokens");
    }

    @Test
    void misuseIsRefusedWithOneClearLine() {
        assertThatThrownBy(() -> TokenMeter.create(" ")).hasMessage("model must be named, not blank");
        assertThatThrownBy(() -> TokenMeter.create("m", null)).hasMessageContaining("clock must not be null");
        assertThatThrownBy(() -> meter.start(-1)).hasMessage("promptTokens must be >= 0, not -1");
        assertThatThrownBy(() -> meter.trainStep(0)).hasMessage("tokens must be >= 1, not 0");
        TokenMeter.Call call = meter.start(1);
        assertThatThrownBy(() -> call.tokens(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("count must be >= 1, not 0");
        assertThatThrownBy(() -> call.usage(-1, 2)).hasMessage("usage counts must be >= 0, not prompt -1, output 2");
        call.tokens(1);
        assertThatThrownBy(call::firstToken).isInstanceOf(IllegalStateException.class).hasMessageContaining("tokens already arrived");
        call.close();
        assertThatThrownBy(() -> call.tokens(1)).isInstanceOf(IllegalStateException.class).hasMessage("the call is closed");
        assertThatThrownBy(call::failed).hasMessage("the call is closed");
    }
}
