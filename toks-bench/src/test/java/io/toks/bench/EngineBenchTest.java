package io.toks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.bench.engine.BenchPlan;
import io.toks.bench.engine.BenchProgress;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.output.Format;
import io.toks.bench.output.JsonResults;
import io.toks.bench.output.ResultWriter;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.result.BenchRecord;
import io.toks.core.result.BenchReport;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EngineBenchTest {

    static final LlamaModel MODEL = ModelLoader.loadEmbedded();

    static BenchPlan plan(List<Integer> pp, List<Integer> tg, List<Integer> threads, int reps) {
        return new BenchPlan(pp, tg, threads, reps, 0, 42, 0);
    }

    @Test
    void sweepsTheCartesianProductWithEveryRepetitionKept() {
        List<BenchRecord> seen = new ArrayList<>();
        List<BenchRecord> records = new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(8, 16), List.of(4), List.of(1, 2), 3), BenchProgress.SILENT, seen::add);
        assertThat(records).extracting(r -> r.test() + "/t" + r.threads())
                .containsExactly("pp8/t1", "pp16/t1", "tg4/t1", "pp8/t2", "pp16/t2", "tg4/t2");
        assertThat(seen).isEqualTo(records);
        for (BenchRecord r : records) {
            assertThat(r.samples()).hasSize(3);
            for (double s : r.samples()) assertThat(s).isPositive().isFinite();
            assertThat(r.tokensPerSecond().n()).isEqualTo(3);
            assertThat(r.tokensPerSecond().min()).isLessThanOrEqualTo(r.tokensPerSecond().max());
            assertThat(r.params()).isEqualTo(MODEL.weights().parameterCount());
            assertThat(r.type()).isEqualTo("F32");
        }
    }

    @Test
    void tokensPerSecondIsTokensOverMeasuredTime() {
        // A fake clock advancing 1 ms per reading: each timed section spans exactly one tick.
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        List<BenchRecord> records = new EngineBench(MODEL, fake)
                .run(plan(List.of(32), List.of(8), List.of(1), 2), BenchProgress.SILENT, r -> {});
        assertThat(records.get(0).samples()).containsOnly(32 / 0.001);
        assertThat(records.get(1).samples()).containsOnly(8 / 0.001);
    }

    @Test
    void aFailureMidwayKeepsTheRowsAlreadyMeasured() {
        var out = new ByteArrayOutputStream();
        var writer = new ResultWriter(Format.JSON, new PrintStream(out, true, StandardCharsets.UTF_8),
                MachineFacts.manifest(EngineBench.targetFacts(MODEL), Map.of()));
        BenchProgress failOnSecondTest = (what, rep, of, tps) -> {
            if (what.startsWith("tg")) throw new ToksException("interrupted");
        };
        assertThatThrownBy(() -> {
            try {
                new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(8), List.of(4), List.of(1), 1), failOnSecondTest, writer::accept);
            } finally {
                writer.finish();
            }
        }).hasMessage("interrupted");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"test\" : \"pp8\"").doesNotContain("tg4");
    }

    @Test
    void jsonDocumentReadsBackWithManifest() throws Exception {
        var out = new ByteArrayOutputStream();
        var manifest = MachineFacts.manifest(EngineBench.targetFacts(MODEL), Map.of("seed", 42));
        var writer = new ResultWriter(Format.JSON, new PrintStream(out, true, StandardCharsets.UTF_8), manifest);
        new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(8), List.of(4), List.of(1), 2), BenchProgress.SILENT, writer::accept);
        writer.finish();
        BenchReport report = JsonResults.readDocument(out.toString(StandardCharsets.UTF_8));
        assertThat(report.schema()).isEqualTo(BenchReport.SCHEMA_VERSION);
        assertThat(report.records()).hasSize(2);
        assertThat(report.manifest().cores()).isPositive();
        assertThat(report.manifest().target()).containsEntry("model_sha256", MODEL.info().sha256())
                .containsKeys("kernels", "vector_bits", "weight_type");
        assertThat(MODEL.info().sha256()).hasSize(64);
    }

    @Test
    void contextTooSmallForTheLongestTestIsRejectedUpFront() {
        assertThatThrownBy(() -> new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(1024), List.of(), List.of(1), 1), BenchProgress.SILENT, r -> {}))
                .isInstanceOf(ToksException.class).hasMessageContaining("1024").hasMessageContaining("context of 512");
    }
}
