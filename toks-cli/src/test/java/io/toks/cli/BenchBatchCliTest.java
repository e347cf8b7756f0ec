package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.cli.CliTest.Result;
import io.toks.core.result.EngineRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** toks bench -B: several sequences per test in one engine, as llama-batched-bench's B. */
class BenchBatchCliTest {

    static final String[] QUICK = {"-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline"};

    static Result bench(String... args) {
        return toks(BenchEnginesCliTest.with(BenchEnginesCliTest.with(new String[] {"bench"}, QUICK), args));
    }

    @Test
    void everySequenceCountGetsItsRowsWithTheTokensOfAllItsSequences() {
        Result r = bench("-B", "1,2", "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        ResultDocument doc = ResultJson.read(r.out());
        assertThat(doc.manifest().parameters().get("n_parallel")).isEqualTo(List.of(1, 2));
        List<EngineRun> runs = doc.runs(EngineRun.class);
        assertThat(runs).extracting(run -> run.name() + " B=" + run.nParallel()).containsExactly("pp8 B=1", "pp8 B=2", "tg4 B=1", "tg4 B=2");
        for (EngineRun run : runs) {
            int b = run.nParallel();
            assertThat(run.prefill() ? run.nPrompt() : run.nGen()).isEqualTo(run.prefill() ? 8 : 4);
            for (int i = 0; i < 2; i++) {
                // llama-batched-bench's S_PP and S_TG: the tokens of all B sequences over the time of the repetition
                int allTokens = b * (run.prefill() ? 8 : 4);
                assertThat(run.samplesTs()[i]).isCloseTo(allTokens * 1e9 / run.samplesNs()[i], within(1e-6 * run.samplesTs()[i]));
            }
            assertThat(run.avgTs()).isEqualTo(run.tokensPerSecond().mean());
            if (run.prefill()) {
                MetricSummary ttft = run.metrics().get(Metric.TTFT);
                assertThat(ttft.samples()[0]).isCloseTo(run.samplesNs()[0] / 1e6, within(1e-9));
                assertThat(run.metrics()).containsKey(Metric.PREFILL_TPS).doesNotContainKey(Metric.DECODE_TPS);
            } else {
                MetricSummary perSequence = run.metrics().get(Metric.DECODE_TPS);
                assertThat(perSequence.samples()[0]).isCloseTo(4 * 1e9 / run.samplesNs()[0], within(1e-6 * perSequence.samples()[0]));
                if (b == 1) {
                    assertThat(run.metrics()).doesNotContainKey(Metric.AGGREGATE_DECODE_TPS);
                    assertThat(run.tokensPerSecond()).isEqualTo(perSequence);
                } else {
                    assertThat(run.tokensPerSecond()).isEqualTo(run.metrics().get(Metric.AGGREGATE_DECODE_TPS));
                    assertThat(run.tokensPerSecond().mean()).isCloseTo(b * perSequence.mean(), within(1e-6 * run.tokensPerSecond().mean()));
                }
            }
        }
    }

    @Test
    void theTableShowsTheSequencesOnlyWhenMoreThanOneWasAsked() {
        Result batched = bench("-B", "1,2");
        assertThat(batched.code()).as(batched.err()).isZero();
        String header = batched.out().lines().findFirst().orElseThrow();
        assertThat(header).contains("|    B |", "t/s per seq", "ttft ms");
        assertThat(batched.out().lines().filter(l -> l.startsWith("| stories260K")).toList())
                .anyMatch(l -> l.matches(".*\\|\\s+2 \\| f16\\s+\\| tg4 .*")).hasSize(4);
        assertThat(batched.out()).contains("llama-batched-bench's B");

        Result single = bench("-B", "1");
        assertThat(single.code()).as(single.err()).isZero();
        assertThat(single.out().lines().findFirst().orElseThrow()).doesNotContain("|    B |", "t/s per seq");
    }

    @Test
    void badSequenceCountsAreOneLine() {
        assertOneLineError(bench("-B", "0"), 1, "-B must be between 1 and 256, got 0");
        assertOneLineError(toks("bench", BenchEnginesCliTest.GGUF, "--engine", "toks,llamacpp", "-B", "1,2"), 1, "-B 1", "llama-batched-bench");
    }
}
