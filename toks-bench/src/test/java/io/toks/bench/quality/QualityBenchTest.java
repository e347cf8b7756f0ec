package io.toks.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.toks.core.SharedData;
import io.toks.core.ToksException;
import io.toks.core.result.Metric;
import io.toks.core.result.QualityRun;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.quant.ModelQuantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QualityBenchTest {

    static final LlamaModel MODEL = ModelLoader.loadEmbedded();
    static final Path TEXT = SharedData.locate(Path.of(System.getProperty("toks.root", "..")).toAbsolutePath())
            .resolve("corpus/tinystories/tinystories_sample.txt");

    @TempDir
    Path tmp;

    static String text() throws IOException {
        return Files.readString(TEXT);
    }

    private static QualityRun measure(LlamaModel model, int ctx, Path save, Path klFrom) throws IOException {
        int[] tokens = QualityBench.tokenize(model, text());
        return QualityBench.measure(model, "sample", tokens, new QualityBench.Options(new PerplexityPlan(ctx, 0), 1, save, klFrom, "ref"),
                QualityBench.Progress.NONE);
    }

    /**
     * The method written out plainly, in double: every chunk fed a token at a time from position
     * 0 (its first token BOS), and at each scored position -log(exp(logit[next]) / sum exp(logits)).
     */
    private static double referencePerplexity(LlamaModel model, int ctx) throws IOException {
        int[] tokens = QualityBench.tokenize(model, text());
        int chunks = tokens.length / ctx;
        double nll = 0;
        long count = 0;
        try (var pool = new WorkerPool(1)) {
            var session = new InferenceSession(model, pool, ctx);
            for (int c = 0; c < chunks; c++) {
                session.reset();
                for (int j = 0; j < ctx - 1; j++) {
                    int token = j == 0 ? model.tokenizer().bosId() : tokens[c * ctx + j];
                    float[] logits = session.decode(token);
                    if (j < ctx / 2) continue;
                    double sum = 0;
                    for (float l : logits) sum += Math.exp(l);
                    nll += -Math.log(Math.exp(logits[tokens[c * ctx + j + 1]]) / sum);
                    count++;
                }
            }
        }
        return Math.exp(nll / count);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256})
    void perplexityIsTheStraightforwardDoublePrecisionFigure(int ctx) throws IOException {
        QualityRun run = measure(MODEL, ctx, null, null);
        int tokens = QualityBench.tokenize(MODEL, text()).length;
        assertThat(run.chunks()).isEqualTo(tokens / ctx);
        assertThat(run.tokensScored()).isEqualTo((long) run.chunks() * (ctx - 1 - ctx / 2));
        assertThat(run.perplexity()).isCloseTo(referencePerplexity(MODEL, ctx), offset(1e-6 * run.perplexity()));
        assertThat(run.perplexityError()).isPositive().isLessThan(run.perplexity());
        assertThat(run.metric(Metric.PERPLEXITY).mean()).isEqualTo(run.perplexity());
        assertThat(run.metric(Metric.PREFILL_TPS).n()).isEqualTo(run.chunks());
        assertThat(run.metric(Metric.KL_DIVERGENCE)).isNull();
    }

    /**
     * llama.cpp's own figures for the same GGUF file and text, from its perplexity tool built
     * outside this repository (unslothai/llama.cpp at d32676d77, CPU build, 2 threads, 2026-12-01):
     * {@code llama-perplexity -m shared/models/stories260K/stories260K.gguf
     * -f shared/corpus/tinystories/tinystories_sample.txt -c 128 -t 2} printed
     * "Final estimate: PPL = 6.6859 +/- 0.71773" over 14 chunks, and with {@code -c 256}
     * "PPL = 6.3082 +/- 0.64583" over 7 chunks.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"128, 14, 6.6859, 0.71773", "256, 7, 6.3082, 0.64583"})
    void theGgufFileScoresAsLlamaCppScoresIt(int ctx, int chunks, double llamaCppPerplexity, double llamaCppError) throws IOException {
        LlamaModel gguf = ModelLoader.load(TEXT.getParent().getParent().getParent().resolve("models/stories260K/stories260K.gguf"), null);
        QualityRun run = measure(gguf, ctx, null, null);
        assertThat(run.chunks()).isEqualTo(chunks);
        assertThat(run.perplexity()).isCloseTo(llamaCppPerplexity, offset(0.001 * llamaCppPerplexity));
        assertThat(run.perplexityError()).isCloseTo(llamaCppError, offset(0.001 * llamaCppError + 5e-5));
    }

    @Test
    void aModelAgainstItselfHasNoDivergence() throws IOException {
        Path logits = tmp.resolve("f32.logits");
        QualityRun base = measure(MODEL, 128, logits, null);
        QualityRun again = measure(MODEL, 128, null, logits);
        // Equal to float rounding: how rows are split across the worker threads can change the last bits.
        assertThat(again.perplexity()).isCloseTo(base.perplexity(), offset(1e-6 * base.perplexity()));
        assertThat(again.metric(Metric.KL_DIVERGENCE).mean()).isCloseTo(0, offset(1e-7));
        assertThat(again.metric(Metric.KL_DIVERGENCE).max()).isCloseTo(0, offset(1e-6));
        assertThat(again.metric(Metric.TOP1_AGREEMENT).mean()).isEqualTo(1.0);
        assertThat(again.metric(Metric.RMS_DELTA_P).mean()).isCloseTo(0, offset(1e-6));
        assertThat(again.metric(Metric.DELTA_PERPLEXITY).mean()).isCloseTo(0, offset(1e-4));
        assertThat(again.reference()).isEqualTo("ref");
    }

    @Test
    void lowerPrecisionsDivergeMoreAsTheirPrecisionPredicts() throws IOException {
        Path logits = tmp.resolve("f32.logits");
        measure(MODEL, 128, logits, null);
        List<Double> divergence = new ArrayList<>();
        List<Double> agreement = new ArrayList<>();
        for (String type : List.of("f16", "bf16", "q8_0", "q4_0")) {
            QualityRun run = measure(ModelQuantizer.convert(MODEL, ModelQuantizer.parseType(type)), 128, null, logits);
            divergence.add(run.metric(Metric.KL_DIVERGENCE).mean());
            agreement.add(run.metric(Metric.TOP1_AGREEMENT).mean());
        }
        // F16 keeps 11 significant bits, BF16 8, Q8_0 8 per 32-value block with a shared scale, Q4_0 4.
        assertThat(divergence).isSorted().allSatisfy(d -> assertThat(d).isPositive());
        assertThat(agreement.get(0)).isGreaterThanOrEqualTo(agreement.get(3));
        assertThat(divergence.get(3)).isGreaterThan(10 * divergence.get(2));
    }

    @Test
    void aReferenceOfOtherTokensOrSettingsIsRefused() throws IOException {
        Path logits = tmp.resolve("f32.logits");
        measure(MODEL, 128, logits, null);
        assertThatThrownBy(() -> measure(MODEL, 64, null, logits)).isInstanceOf(ToksException.class)
                .hasMessageContaining("was made with --ctx 128");
        Path junk = Files.writeString(tmp.resolve("junk.logits"), "not logits at all, just text");
        assertThatThrownBy(() -> measure(MODEL, 128, null, junk)).isInstanceOf(ToksException.class)
                .hasMessageContaining("is not a toks logits file");
        Path cut = tmp.resolve("cut.logits");
        byte[] whole = Files.readAllBytes(logits);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> measure(MODEL, 128, null, cut)).isInstanceOf(ToksException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aTextShorterThanTwoChunksIsANamedError() {
        assertThatThrownBy(() -> new PerplexityPlan(512, 0).chunksOf(1000)).isInstanceOf(ToksException.class)
                .hasMessageContaining("the text is 1000 tokens; perplexity with a context of 512 needs at least 1024");
        assertThat(new PerplexityPlan(128, 3).chunksOf(1000)).isEqualTo(3);
        assertThat(new PerplexityPlan(128, 0).chunksOf(1000)).isEqualTo(7);
    }

    @Test
    void percentilesInterpolateBetweenNeighbours() {
        assertThat(io.toks.core.stats.Statistics.quantile(new double[] {1, 2, 3, 4, 5}, 0.50)).isEqualTo(3);
        assertThat(io.toks.core.stats.Statistics.quantile(new double[] {1, 2, 3, 4, 5}, 0.90)).isCloseTo(4.6, offset(1e-12));
        assertThat(io.toks.core.stats.Statistics.quantile(new double[] {7}, 0.99)).isEqualTo(7);
    }
}
