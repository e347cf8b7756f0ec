package io.toks.cli;

import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every measuring command writes the one result document: it validates against
 * docs/result-schema.json, reads back into the same records, and its metrics have one shape.
 */
class ResultDocumentTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static JsonSchema schema;

    static Path root() {
        return Path.of(System.getProperty("toks.root", "..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void loadSchema() throws IOException {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(root().resolve("docs/result-schema.json").toFile()));
    }

    /** Validates, reads back, writes again identically; returns the tree. */
    static JsonNode checked(CliTest.Result r, String command) throws IOException {
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode tree = JSON.readTree(r.out());
        Set<ValidationMessage> problems = schema.validate(tree);
        assertThat(problems).as(r.out()).isEmpty();
        ResultDocument doc = ResultJson.read(r.out());
        assertThat(doc.command()).isEqualTo(command);
        assertThat(JSON.readTree(ResultJson.write(doc))).isEqualTo(tree);
        assertThat(tree.get("runs")).isNotEmpty();
        // jq '.runs[0].metrics' reads the same shape from every command
        JsonNode metrics = tree.get("runs").get(0).get("metrics");
        assertThat(metrics.isObject()).isTrue();
        for (Iterator<String> names = metrics.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(Metric.ofKey(name)).isNotNull();
            JsonNode m = metrics.get(name);
            for (String k : new String[] {"unit", "n", "mean", "stdev", "ci95_low", "ci95_high", "min", "median", "max", "percentiles", "samples"}) {
                assertThat(m.has(k)).as(name + "." + k).isTrue();
            }
        }
        everyRequiredFieldIsChecked(tree);
        return tree;
    }

    /**
     * Each field the schema requires of a run (by its kind) and of the target (by its kind),
     * removed, is refused when read, naming it: the reader's check and the schema stay in step.
     */
    static void everyRequiredFieldIsChecked(JsonNode tree) throws IOException {
        JsonNode defs = JSON.readTree(root().resolve("docs/result-schema.json").toFile()).get("$defs");
        JsonNode run = tree.get("runs").get(0);
        for (JsonNode field : defs.get(run.get("kind").asText() + "Run").get("required")) {
            var changed = (com.fasterxml.jackson.databind.node.ObjectNode) tree.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) changed.get("runs").get(0)).remove(field.asText());
            assertThatThrownBy(() -> ResultJson.read(changed.toString())).as(field.asText())
                    .hasMessage("malformed toks result document: no \"" + field.asText() + "\" field in runs[0]");
        }
        JsonNode target = tree.get("manifest").get("target");
        if (target.isNull()) return;
        for (JsonNode kind : defs.get("manifest").get("properties").get("target").get("oneOf")) {
            if (!target.get("kind").asText().equals(kind.at("/properties/kind/const").asText())) continue;
            for (JsonNode field : kind.get("required")) {
                var changed = (com.fasterxml.jackson.databind.node.ObjectNode) tree.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) changed.get("manifest").get("target")).remove(field.asText());
                assertThatThrownBy(() -> ResultJson.read(changed.toString())).as(field.asText())
                        .hasMessage("malformed toks result document: no \"" + field.asText() + "\" field in manifest.target");
            }
        }
    }

    @Test
    void benchWritesTheDocument() throws IOException {
        JsonNode doc = checked(toks("bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0",
                "-o", "json", "--no-roofline"), "bench");
        assertThat(doc.get("runs").get(1).get("metrics").has("decode_tps")).isTrue();
    }

    /** With llama.cpp beside toks's engine: each run names its engine, the target lists llama.cpp. */
    @Test
    void benchOfTwoEnginesWritesTheDocument() throws IOException {
        JsonNode doc = checked(toks("bench", CliTest.shared("models/stories260K/stories260K.gguf").toString(), "--engine", "toks,llamacpp",
                "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "-o", "json", "--no-roofline"), "bench");
        assertThat(doc.get("runs").get(2).get("engine").asText()).isEqualTo("llama.cpp");
        assertThat(doc.get("manifest").get("target").get("external_engines").get(0).get("binding").asText()).startsWith("de.kherud:llama");
    }

    @Test
    void loadWritesTheDocument(@TempDir Path dir) throws IOException {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(1_000_000, 1), new ResponsePlan.Chunk(2_000_000, 1))))) {
            JsonNode doc = checked(toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1,2", "--requests", "4",
                    "--input-tokens", "8", "--output-tokens", "2", "--journal", dir.resolve("j.jsonl").toString(), "--slo", "ttft=30s",
                    "-o", "json"), "load");
            JsonNode level = doc.get("runs").get(0);
            assertThat(level.get("metrics").get("ttft").get("percentiles").has("p99")).isTrue();
            // Per-request samples of ttft, tpot and e2e (toks compare bootstraps their percentiles); none per token.
            for (String perRequest : new String[] {"ttft", "tpot", "e2e"}) {
                assertThat(level.get("metrics").get(perRequest).get("samples")).as(perRequest).hasSize(4);
            }
            assertThat(level.get("metrics").get("itl").get("samples")).isEmpty();
            // An SLO no stall of a busy host misses (the server answers in milliseconds): written, and true when met.
            assertThat(level.get("slo_met").asBoolean()).isTrue();
            assertThat(doc.get("manifest").get("target").get("model").asText()).isEqualTo("m");
        }
    }

    @Test
    void countBenchWritesTheDocument(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.txt"), "Once upon a time there was a cat.\n".repeat(50));
        JsonNode doc = checked(toks("count", dir.toString(), "--tokenizer", "cl100k", "--bench", "--repeat", "2", "--json"), "count");
        assertThat(doc.get("runs").get(0).get("metrics").get("tokenize_mb_per_s").get("samples")).hasSize(2);
    }

    @Test
    void hwWritesTheDocument() throws IOException {
        JsonNode doc = checked(toks("hw", "-t", "1", "--buffer-mib", "16", "-r", "2", "-o", "json"), "hw");
        assertThat(doc.get("runs").get(0).get("metrics").get("read_bandwidth").get("samples")).hasSize(2);
        JsonNode target = doc.get("manifest").get("target");
        assertThat(target.get("kind").asText()).isEqualTo("hardware");
        assertThat(target.get("probes")).hasSize(4);
    }

    @Test
    void perplexityWritesTheDocument() throws IOException {
        JsonNode doc = checked(toks("perplexity", CliTest.shared("corpus/tinystories/tinystories_sample.txt").toString(), "--ctx", "64",
                "--chunks", "3", "--types", "f32,q8_0", "-t", "1", "-o", "json"), "perplexity");
        JsonNode first = doc.get("runs").get(0), second = doc.get("runs").get(1);
        assertThat(first.get("kind").asText()).isEqualTo("quality");
        assertThat(first.get("tokens_scored").asInt()).isEqualTo(3 * (64 - 1 - 32));
        assertThat(first.get("metrics").get("perplexity").get("mean").asDouble()).isEqualTo(first.get("perplexity").asDouble());
        assertThat(first.get("reference").isNull()).isTrue();
        assertThat(second.get("metrics").get("kl_divergence").get("percentiles").has("p99")).isTrue();
        assertThat(second.get("metrics").get("top1_agreement").get("mean").asDouble()).isBetween(0.5, 1.0);
        assertThat(second.get("reference").asText()).isEqualTo("embedded:stories260K@f32");
    }

    @Test
    void aTokenMetersResultIsTheSameDocument() throws IOException {
        String json = ResultJson.write(MeterDocuments.measured("my-model", 1));
        JsonNode doc = checked(new CliTest.Result(0, json, ""), "meter");
        JsonNode run = doc.get("runs").get(0);
        assertThat(run.get("kind").asText()).isEqualTo("meter");
        assertThat(run.get("calls").asInt()).isEqualTo(24);
        assertThat(run.get("metrics").get("ttft").get("samples")).hasSize(24);
        assertThat(run.get("metrics").get("train_tps").get("samples")).hasSize(3);
        assertThat(doc.get("manifest").get("target").isNull()).isTrue();
    }

    @Test
    void theSchemaAndTheMetricsDocNameEveryMetric() throws IOException {
        Set<String> inSchema = new TreeSet<>();
        JSON.readTree(root().resolve("docs/result-schema.json").toFile())
                .at("/$defs/metrics/propertyNames/enum").forEach(n -> inSchema.add(n.asText()));
        Set<String> keys = new TreeSet<>();
        for (Metric m : Metric.values()) keys.add(m.key());
        assertThat(inSchema).isEqualTo(keys);
        String doc = Files.readString(root().resolve("docs/metrics.md"));
        List<String> missing = new ArrayList<>();
        for (String k : keys) if (!doc.contains("`" + k + "`")) missing.add(k);
        assertThat(missing).as("metrics missing from docs/metrics.md").isEmpty();
        assertThat(ResultDocument.SCHEMA_VERSION).isEqualTo(2);
    }
}
