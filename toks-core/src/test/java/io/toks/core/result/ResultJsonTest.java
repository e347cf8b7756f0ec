package io.toks.core.result;

import io.toks.core.manifest.ModelFacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.core.ToksException;
import io.toks.core.events.TokenCountSource;
import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultJsonTest {

    static final ModelFacts MODEL = new ModelFacts("m", "embedded:m", "llama2.c", 100, "ab".repeat(32), "F32", 25, 100, 100, 512,
            new ModelFacts.TextDensity("text", "cl100k", 3.5, 0.9));

    /** One run of every kind, with undefined (NaN) figures and null fields where a kind has them. */
    static ResultDocument everyKind() {
        var roofline = new RooflineShare("memory", 100, 0.5, 1e6, 2e6, 50, "median_of_samples_during_test",
                new double[] {49, 50, 51}, 60, 0.42);
        var engine = EngineRun.of("tg4", MODEL, "java-vector-512bit", 2, false, 4, new double[] {100, 110, 90},
                TokenCountSource.ENGINE_IDS, roofline, new TextRates(350, 90, "cl100k", 3.5, "basis"));
        var cached = EngineRun.of("pp8", MODEL, "java-vector-512bit", 2, true, 8, new double[] {800},
                TokenCountSource.ENGINE_IDS, new RooflineShare("cache", 1e6, Double.NaN, 1, 2, 50, "up_front", null, 50, Double.NaN), null);
        var latency = new MetricSummary(Unit.MILLISECONDS, 10, 5, 1, 4.4, 5.6, 3, 5, 9,
                Map.of("p50", 5.0, "p90", 7.0, "p95", 8.0, "p99", 9.0), null);
        var load = new LoadRun("c=4", 4, null, null, 10, 9, Map.of("http_4xx", 1), Map.of("http_4xx", "prompt too long"), 2.5, Double.NaN, 4.1,
                0, 0, 1, Map.of("server_usage", 9), 0, Double.NaN, null, Map.of(Metric.TTFT, latency,
                Metric.GOODPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, Double.NaN),
                Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 123.5)));
        var tokenizer = new TokenizerRun("cl100k", "cl100k", "tiktoken/cl100k_base", 2, 15, 53, 53, 13, null, null,
                Map.of(Metric.TOKENIZE_MB_PER_S, MetricSummary.ofSamples(Unit.MEGABYTES_PER_SECOND, 10, 12, 11)));
        var hardware = new HardwareRun("1 thread", 1, 1L << 24, Map.of(Metric.READ_BANDWIDTH,
                MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 45),
                Metric.PEAK_FMA, new MetricSummary(Unit.GIGAFLOPS, 2, 1, 0, 1, 1, 1, 1, 1, null, new double[] {1, Double.NaN})));
        var meter = new MeterRun("my-model", "my-model", 5, 4, 1, 1, 46, 20, Map.of("server_usage", 3L, "chunks_counted", 1L), 1, 9, 1,
                0.52, 2, 3000, 1.0, Map.of(Metric.TTFT, latency, Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 38.46),
                Metric.TRAIN_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 1666.7, 5000)));
        var target = new TargetFacts.Engine("toks-java", new TargetFacts.KernelSupport("java-vector-512bit", 512, null, "no gcc", List.of(), List.of()),
                List.of(MODEL), List.of(new TargetFacts.HardwareLimit(2, 60, 500)));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("threads", List.of(2));
        parameters.put("slo", null);
        Manifest manifest = MachineFacts.manifest(target, parameters);
        return ResultDocument.of("bench", manifest, List.of(engine, cached, load, tokenizer, hardware, meter));
    }

    /** A document written before toks recorded tiles and native attention reads with both empty. */
    @Test
    void kernelsWithoutTilesOrAttentionReadAsNone() {
        String json = ResultJson.write(everyKind());
        assertThat(json).contains("\"native_tiled\"");
        String old = json.replaceAll(",\\s*\"native_tiled\"\\s*:\\s*\\[[^]]*]", "").replaceAll(",\\s*\"native_attention\"\\s*:\\s*\\[[^]]*]", "");
        assertThat(old).doesNotContain("native_tiled", "native_attention");
        var kernels = ((io.toks.core.manifest.TargetFacts.Engine) ResultJson.read(old).manifest().target()).kernels();
        assertThat(kernels.nativeTiled()).isEmpty();
        assertThat(kernels.nativeAttention()).isEmpty();
    }

    @Test
    void aDocumentReadsBackIntoTheSameRecords() {
        ResultDocument doc = everyKind();
        String json = ResultJson.write(doc);
        ResultDocument back = ResultJson.read(json);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(doc);
        assertThat(ResultJson.write(back)).isEqualTo(json);
        assertThat(back.runs(EngineRun.class).get(1).roofline().share()).isNaN();
        assertThat(back.runs(LoadRun.class).get(0).metric(Metric.GOODPUT).mean()).isNaN();
        assertThat(back.runs(LoadRun.class).get(0).rate()).isNull();
        assertThat(back.runs(MeterRun.class).get(0).countSources()).containsEntry("server_usage", 3L);
    }

    @Test
    void jsonUsesDocumentedNamesAndNullForUndefinedFigures() {
        JsonNode tree = ResultJson.tree(everyKind());
        JsonNode engine = tree.get("runs").get(0);
        assertThat(engine.get("kind").asText()).isEqualTo("engine");
        assertThat(engine.get("n_gen").asInt()).isEqualTo(4);
        assertThat(engine.get("model_n_params").asLong()).isEqualTo(25);
        assertThat(engine.get("avg_ts").asDouble()).isEqualTo(100.0);
        assertThat(engine.get("samples_ts")).hasSize(3);
        assertThat(engine.get("metrics").get("decode_tps").get("unit").asText()).isEqualTo("tok/s");
        assertThat(engine.get("metrics").get("mbu").get("mean").asDouble()).isEqualTo(0.5);
        assertThat(tree.get("runs").get(1).get("roofline").get("share").isNull()).isTrue();
        JsonNode load = tree.get("runs").get(2);
        assertThat(load.get("metrics").get("ttft").get("percentiles").get("p99").asDouble()).isEqualTo(9.0);
        assertThat(load.get("metrics").get("goodput").get("mean").isNull()).isTrue();
        assertThat(tree.get("manifest").get("machine").get("cores").asInt()).isPositive();
        assertThat(ResultJson.write(everyKind())).doesNotContain("NaN");
        assertThat(tree.get("runs").get(4).get("metrics").get("peak_fma").get("samples").get(1).isNull()).isTrue();
        assertThat(tree.get("manifest").get("jvm").get("vector_bits").asInt()).isPositive(); // the tests run with the Vector API
        JsonNode meter = tree.get("runs").get(5);
        assertThat(meter.get("kind").asText()).isEqualTo("meter");
        assertThat(meter.get("in_flight").asLong()).isEqualTo(1);
        assertThat(meter.get("multi_token_chunks").asLong()).isEqualTo(1);
        assertThat(meter.get("metrics").get("train_tps").get("samples")).hasSize(2);
    }

    /** A toks hw document whose target is the machine: probes, caches, NUMA, GPUs with their spec sheets. */
    static ResultDocument hardwareDocument() {
        SpecCatalog catalog = SpecCatalog.builtIn();
        var h100 = new TargetFacts.Hardware.Gpu(0, "NVIDIA H100 80GB HBM3", "GPU-1", 81559, 700, 1980, 2619, "550.54.15", "00000000:18:00.0",
                catalog.find("NVIDIA H100 80GB HBM3").orElseThrow());
        var unknown = new TargetFacts.Hardware.Gpu(1, "NVIDIA Prototype", null, 1024, Double.NaN, Double.NaN, Double.NaN, "550.54.15", null, null);
        var target = new TargetFacts.Hardware(
                List.of(new TargetFacts.Hardware.Probe("peak_int8_dot", "VPDPBUSD zmm (AVX512_VNNI), native", null),
                        new TargetFacts.Hardware.Probe("peak_bf16_dot", null, "CPU lacks AVX512_BF16")),
                List.of(new TargetFacts.Hardware.Cache(1, "Data", 48 << 10, "0"), new TargetFacts.Hardware.Cache(3, "Unified", 260L << 20, "0-1")),
                null, List.of(), "not Linux", List.of(h100, unknown), "nvidia-smi --query-gpu", null, catalog.find("epyc-9654").orElseThrow());
        var run = new HardwareRun("1 thread", 1, 1L << 24, Map.of(
                Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 45),
                Metric.PEAK_INT8_DOT, MetricSummary.ofSamples(Unit.GIGAOPS, 500, 540)));
        return ResultDocument.of("hw", MachineFacts.manifest(target, Map.of("threads", 1)), List.of(run));
    }

    @Test
    void aHardwareDocumentReadsBackWithItsMachineFacts() {
        ResultDocument doc = hardwareDocument();
        String json = ResultJson.write(doc);
        ResultDocument back = ResultJson.read(json);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(doc);
        assertThat(ResultJson.write(back)).isEqualTo(json);
        JsonNode target = ResultJson.tree(doc).get("manifest").get("target");
        assertThat(target.get("kind").asText()).isEqualTo("hardware");
        assertThat(target.get("gpus").get(0).get("spec").get("peak_tera").get("bf16").asDouble()).isEqualTo(989.5);
        assertThat(target.get("gpus").get(0).get("spec").get("source").asText()).startsWith("https://");
        assertThat(target.get("gpus").get(1).get("power_limit_watts").isNull()).isTrue();
        assertThat(target.get("caches").get(1).get("size_bytes").asLong()).isEqualTo(260L << 20);
        assertThat(((TargetFacts.Hardware) back.manifest().target()).probe("peak_bf16_dot").unavailable()).isEqualTo("CPU lacks AVX512_BF16");
    }

    @Test
    void aHardwareDocumentWrittenBeforeMachineFactsStillReads() {
        // toks hw before the hardware target: target null, no dot-product peaks.
        ResultDocument old = ResultDocument.of("hw", MachineFacts.manifest(null, Map.of("threads", 1)), List.of(new HardwareRun("1 thread", 1, 1L << 24,
                Map.of(Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 45)))));
        ResultDocument back = ResultJson.read(ResultJson.write(old));
        assertThat(back.manifest().target()).isNull();
        assertThat(back.runs(HardwareRun.class).get(0).metric(Metric.READ_BANDWIDTH).max()).isEqualTo(45.0);
    }

    @Test
    void otherSchemasAndNonDocumentsAreRefusedInOneLine() {
        assertThatThrownBy(() -> ResultJson.read("{\"schema\":1,\"manifest\":{},\"records\":[]}"))
                .isInstanceOf(ToksException.class).hasMessageContaining("schema 1").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ResultJson.read("{\"schema\":3,\"runs\":[]}"))
                .isInstanceOf(ToksException.class).hasMessageContaining("schema 3 is not known");
        assertThatThrownBy(() -> ResultJson.read("[1,2]")).isInstanceOf(ToksException.class).hasMessageContaining("no \"schema\"");
        assertThatThrownBy(() -> ResultJson.read("{oops")).isInstanceOf(ToksException.class).hasMessageStartingWith("not a JSON document")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ResultJson.read("{\"schema\":2,\"command\":\"bench\",\"runs\":[{\"kind\":\"teleport\"}]}"))
                .isInstanceOf(ToksException.class).hasMessageStartingWith("malformed toks result document");
    }

    @Test
    void aServersHardwareReadsBackWithItsSpecSheetPeaks() {
        var spec = io.toks.core.hardware.SpecCatalog.builtIn().named("h100-sxm");
        var server = new TargetFacts.Server("http://gpu:8000/v1", "chat", "llama", "fixed 64/64",
                TargetFacts.ServerHardware.of(spec, 8, "given with --target-hardware"));
        var doc = ResultDocument.of("load", MachineFacts.manifest(server, Map.of()), List.of());
        String json = ResultJson.write(doc);
        assertThat(json).contains("\"bf16\" : 989.5");
        var back = (TargetFacts.Server) ResultJson.read(json).manifest().target();
        assertThat(back.hardware()).isEqualTo(server.hardware());
        assertThat(back.hardware().peakTera().get(io.toks.core.hardware.Precision.FP8)).isEqualTo(1979.0);
        var old = ResultJson.write(ResultDocument.of("load", MachineFacts.manifest(new TargetFacts.Server("u", "chat", "m", "w"), Map.of()), List.of()));
        assertThat(((TargetFacts.Server) ResultJson.read(old).manifest().target()).hardware()).isNull();
    }

    /** Two engines in one document: each run names its engine, the target lists the other engine's facts. */
    @Test
    void runsOfTwoEnginesReadBackWithTheirEngines() {
        var toks = EngineRun.of("pp8", MODEL, "java-vector-512bit", 1, true, 8, new double[] {800, 820},
                TokenCountSource.ENGINE_IDS, null, null);
        var llama = EngineRun.of(EngineRun.LLAMA_CPP, "pp8", MODEL, "llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI)", 1, true, 8, 0,
                new double[] {400, 410}, TokenCountSource.ENGINE_IDS, null, null);
        var other = new TargetFacts.ExternalEngine("llama.cpp", "b4916", "de.kherud:llama 4.2.0 (JNI)", List.of("AVX2", "FMA"),
                List.of("no AVX-512"));
        var target = new TargetFacts.Engine("toks-java", new TargetFacts.KernelSupport("java-vector-512bit", 512, null, "no gcc", List.of(), List.of()),
                List.of(MODEL), List.of()).withExternalEngine(other);
        var doc = ResultDocument.of("bench", MachineFacts.manifest(target, Map.of()), List.of(toks, llama));
        String json = ResultJson.write(doc);
        ResultDocument back = ResultJson.read(json);
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(doc);
        assertThat(back.runs(EngineRun.class)).extracting(EngineRun::engine).containsExactly("toks-java", "llama.cpp");
        assertThat(back.runs(EngineRun.class)).extracting(EngineRun::byToks).containsExactly(true, false);
        assertThat(((TargetFacts.Engine) back.manifest().target()).externalEngines()).containsExactly(other);
        JsonNode tree = ResultJson.tree(doc);
        assertThat(tree.get("runs").get(1).get("engine").asText()).isEqualTo("llama.cpp");
        assertThat(tree.get("manifest").get("target").get("external_engines").get(0).get("cpu_features").get(1).asText()).isEqualTo("FMA");
    }

    /** A document written before runs named their engine reads as toks's engine alone. */
    @Test
    void documentsWithoutEngineNamesReadAsToksEngineAlone() {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) ResultJson.tree(everyKind());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("runs").get(0)).remove("engine");
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("manifest").get("target")).remove("external_engines");
        ResultDocument old = ResultJson.read(tree.toString());
        assertThat(old.runs(EngineRun.class).get(0).engine()).isEqualTo(EngineRun.TOKS_ENGINE);
        assertThat(((TargetFacts.Engine) old.manifest().target()).externalEngines()).isEmpty();
    }

    @Test
    void metricKeysAreTheirLowercaseNames() {
        assertThat(Metric.PREFILL_TPS.key()).isEqualTo("prefill_tps");
        for (Metric m : Metric.values()) assertThat(Metric.ofKey(m.key())).isEqualTo(m);
        assertThatThrownBy(() -> Metric.ofKey("speed")).hasMessageContaining("unknown metric 'speed'");
    }

    @Test
    void aFileReadsBackAndABadFileIsNamedInTheError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("a.json"), ResultJson.write(everyKind()));
        assertThat(ResultJson.read(good).runs()).hasSize(6);
        java.nio.file.Path bad = java.nio.file.Files.write(dir.resolve("b.json"), new byte[] {(byte) 0xff, 0, 1});
        assertThatThrownBy(() -> ResultJson.read(bad)).isInstanceOf(ToksException.class)
                .hasMessageStartingWith(bad + ": not a JSON document");
        java.nio.file.Path notToks = java.nio.file.Files.writeString(dir.resolve("c.json"), "{\"runs\": []}");
        assertThatThrownBy(() -> ResultJson.read(notToks)).hasMessage(notToks + ": not a toks result document (no \"schema\" field)");
        assertThatThrownBy(() -> ResultJson.read(dir.resolve("missing.json"))).hasMessage(dir.resolve("missing.json") + ": no such file");
    }

    @Test
    void directionComesFromTheUnit() {
        assertThat(Metric.DECODE_TPS.direction()).isEqualTo(Direction.HIGHER_IS_FASTER);
        assertThat(Metric.TTFT.direction().improves(100, 90)).isTrue();
        assertThat(Metric.TTFT.direction().regression()).isEqualTo("worse");
        assertThat(Metric.OUTPUT_TPS.direction().regresses(100, 90)).isTrue();
        assertThat(Metric.MBU.direction().improvement()).isEqualTo("better");
    }
}
