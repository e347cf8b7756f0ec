package io.toks.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.SharedData;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.TokenCountSource;
import io.toks.core.result.EngineRun;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LlamaCppBenchTest {

    static final Path GGUF = SharedData.locate(Path.of(System.getProperty("toks.root", "..")).toAbsolutePath())
            .resolve("models/stories260K/stories260K.gguf");
    static final LlamaModel MODEL = ModelLoader.load(GGUF, null);

    /**
     * With a clock that advances 1 ms per reading, the formulas show: ppN reads the clock at the
     * request and at the first output (N tokens / 1 ms); tgN at every one of its N + 1 outputs and
     * times the N steps between the first and the last (N / N ms).
     */
    @Test
    void ppTimesRequestToFirstOutputAndTgTimesFirstToLastOutput() {
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        var plan = new BenchPlan(List.of(16), List.of(8), List.of(1), 2, 1, 42, 0);
        List<EngineRun> seen = new ArrayList<>();
        List<EngineRun> runs = new LlamaCppBench(GGUF, MODEL, fake, null).run(plan, BenchProgress.SILENT, seen::add);
        assertThat(runs).isEqualTo(seen).extracting(EngineRun::name).containsExactly("pp16", "tg8");
        assertThat(runs.get(0).samplesTs()).containsExactly(16 / 0.001, 16 / 0.001);
        assertThat(runs.get(1).samplesTs()).containsExactly(1000.0, 1000.0);
        for (EngineRun r : runs) {
            assertThat(r.engine()).isEqualTo(EngineRun.LLAMA_CPP);
            assertThat(r.byToks()).isFalse();
            assertThat(r.kernels()).startsWith("llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI)");
            assertThat(r.model()).isEqualTo(MODEL.info().name());
            assertThat(r.modelNParams()).isEqualTo(MODEL.weights().parameterCount());
            assertThat(r.countSource()).isEqualTo(TokenCountSource.ENGINE_IDS);
            assertThat(r.nThreads()).isEqualTo(1);
        }
        assertThat(runs.get(0).nPrompt()).isEqualTo(16);
        assertThat(runs.get(1).nGen()).isEqualTo(8);
    }

    @Test
    void realTimingsArePositiveAndFinite() {
        var plan = new BenchPlan(List.of(32), List.of(16), List.of(1), 3, 1, 42, 0);
        for (EngineRun r : new LlamaCppBench(GGUF, MODEL, Clock.SYSTEM, null).run(plan, BenchProgress.SILENT, r -> {})) {
            assertThat(r.samplesTs()).hasSize(3);
            for (double s : r.samplesTs()) assertThat(s).isPositive().isFinite();
        }
    }

    @Test
    void depthsAreRefusedBeforeAnyWork() {
        var plan = new BenchPlan(List.of(16), List.of(), List.of(1), 1, 0, 42, 0, List.of(0, 64));
        assertThatThrownBy(() -> LlamaCppBench.checkSupported(plan)).isInstanceOf(ToksException.class)
                .hasMessageStartingWith("llama.cpp is measured on an empty context only");
    }

    @Test
    void theManifestEntrySaysWhichBuildAndWhatItLacks() {
        var target = LlamaCppBench.target();
        assertThat(target.engine()).isEqualTo("llama.cpp");
        assertThat(target.version()).isEqualTo("b4916");
        assertThat(target.binding()).isEqualTo("de.kherud:llama 4.2.0 (JNI)");
        if (System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux")) {
            assertThat(target.cpuFeatures()).contains("AVX2").noneMatch(f -> f.startsWith("AVX512"));
            assertThat(target.notes()).singleElement().asString().contains("no AVX-512");
        }
    }
}
