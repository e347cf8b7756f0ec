package io.toks.core.result;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.core.ToksException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fields of a result document that docs/result-schema.json requires and every reader relies on
 * (the manifest and its parts, each run's kind, name and metrics, each metric's figures), checked
 * on the JSON tree before it becomes records, so a document without one is refused in one line
 * that names the field instead of failing later in whatever renders it. Wrong types and the
 * kind-specific fields of runs are checked as the records are built ({@link MappingErrors}).
 */
final class DocumentCheck {

    private static final String[] TOP = {"command", "manifest", "runs"};
    private static final String[] MANIFEST = {"toks", "created_at", "machine", "jvm", "target", "parameters"};
    private static final String[] TOKS = {"version", "commit"};
    private static final String[] MACHINE = {"cpu_model", "cores", "memory_bytes", "os"};
    private static final String[] JVM = {"vendor", "name", "version", "jit", "vector_bits"};
    private static final String[] RUN = {"kind", "name", "metrics"};
    /** Per target kind and run kind: the fields docs/result-schema.json requires (ResultDocumentTest keeps them in step). */
    private static final Map<String, String[]> TARGETS = Map.of(
            "engine", new String[] {"kind", "engine", "kernels", "models", "hardware_limits"},
            "server", new String[] {"kind", "url", "api", "model", "workload"},
            "tokenizers", new String[] {"kind", "input", "files"},
            "hardware", new String[] {"kind", "probes", "caches", "caches_missing", "numa_nodes", "numa_missing", "gpus", "gpus_from",
                    "gpus_missing", "cpu_spec"});
    private static final Map<String, String[]> RUNS = Map.of(
            "engine", new String[] {"model", "model_filename", "model_type", "model_size", "model_n_params", "kernels", "n_threads", "n_prompt",
                    "n_gen", "avg_ts", "stddev_ts", "samples_ts", "avg_ns", "stddev_ns", "samples_ns", "count_source"},
            "load", new String[] {"concurrency", "rate", "arrival", "measured", "succeeded", "errors", "error_messages", "window_seconds",
                    "scheduled_rate", "achieved_rate", "multi_token_chunks", "unknown_chunk_requests", "length_mismatches", "count_sources",
                    "count_disagreements", "client_cpu_share", "slo_met"},
            "tokenizer", new String[] {"tokenizer", "implementation", "files", "tokens", "chars", "bytes", "words", "vs_reference", "reference"},
            "hardware", new String[] {"threads", "buffer_bytes"},
            "quality", new String[] {"model", "model_filename", "model_type", "model_size", "kernels", "n_threads", "text", "text_tokens", "n_ctx",
                    "chunks", "tokens_scored", "perplexity", "perplexity_error", "reference"},
            "meter", new String[] {"model", "calls", "succeeded", "failed", "in_flight", "prompt_tokens", "output_tokens", "count_sources",
                    "count_disagreements", "chunks", "multi_token_chunks", "window_seconds", "train_steps", "train_tokens", "train_seconds"},
            "training", new String[] {"model", "model_n_params", "dim", "hidden_dim", "layers", "heads", "kv_heads", "vocab_size", "tokenizer",
                    "data", "train_tokens", "validation_tokens", "batch", "seq", "first_step", "last_step", "n_threads", "seed",
                    "flops_per_token", "flops_formula", "peak_gflops", "timing_warmup_steps", "timing_warmup_tps", "epoch_seconds",
                    "target_tokens", "target_seconds", "loss_curve"});
    private static final String[] SUMMARY = {"unit", "n", "mean", "stdev", "ci95_low", "ci95_high", "min", "median", "max", "percentiles", "samples"};

    private DocumentCheck() {}

    /** @throws ToksException naming the first missing or mistyped field, e.g. {@code no "manifest" field} */
    static void check(JsonNode root) {
        require(root, "", TOP);
        text(root, "", "command");
        JsonNode manifest = object(root, "", "manifest");
        require(manifest, "manifest", MANIFEST);
        require(object(manifest, "manifest", "toks"), "manifest.toks", TOKS);
        text(manifest, "manifest", "created_at");
        require(object(manifest, "manifest", "machine"), "manifest.machine", MACHINE);
        require(object(manifest, "manifest", "jvm"), "manifest.jvm", JVM);
        JsonNode target = manifest.get("target");
        if (!target.isNull() && !target.isObject()) throw wrong("manifest.target", "an object or null", target);
        if (target.isObject()) {
            require(target, "manifest.target", new String[] {"kind"});
            text(target, "manifest.target", "kind");
            String[] fields = TARGETS.get(target.get("kind").asText());
            if (fields != null) require(target, "manifest.target", fields);
        }
        object(manifest, "manifest", "parameters");
        JsonNode runs = root.get("runs");
        if (!runs.isArray()) throw wrong("runs", "a list", runs);
        for (int i = 0; i < runs.size(); i++) run(runs.get(i), "runs[" + i + "]");
    }

    private static void run(JsonNode run, String path) {
        if (!run.isObject()) throw wrong(path, "an object", run);
        require(run, path, RUN);
        text(run, path, "kind");
        text(run, path, "name");
        String[] fields = RUNS.get(run.get("kind").asText());
        if (fields != null) require(run, path, fields);
        JsonNode metrics = object(run, path, "metrics");
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> metric = it.next();
            String at = path + ".metrics." + metric.getKey();
            if (!metric.getValue().isObject()) throw wrong(at, "an object", metric.getValue());
            require(metric.getValue(), at, SUMMARY);
        }
    }

    /**
     * The figure every reader shows for a run, present: an engine test's tok/s, a training run's
     * tok/s (a run that measured nothing is not written).
     *
     * @throws ToksException naming the run and the metric
     */
    static void checkHeadlines(ResultDocument document) {
        for (int i = 0; i < document.runs().size(); i++) {
            Run run = document.runs().get(i);
            List<Metric> needed = switch (run) {
                case EngineRun e -> List.of(e.headline());
                case TrainingRun t -> List.of(Metric.TRAIN_TPS);
                default -> List.of();
            };
            for (Metric m : needed) {
                if (run.metric(m) == null) throw new ToksException("runs[" + i + "] (" + run.name() + "): no \"" + m.key() + "\" metric");
            }
        }
    }

    private static void require(JsonNode node, String path, String[] fields) {
        for (String field : fields) {
            if (!node.has(field)) throw new ToksException("no \"" + field + "\" field" + (path.isEmpty() ? "" : " in " + path));
        }
    }

    private static JsonNode object(JsonNode parent, String path, String field) {
        JsonNode node = parent.get(field);
        if (!node.isObject()) throw wrong(join(path, field), "an object", node);
        return node;
    }

    private static void text(JsonNode parent, String path, String field) {
        JsonNode node = parent.get(field);
        if (!node.isTextual()) throw wrong(join(path, field), "text", node);
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static ToksException wrong(String path, String expected, JsonNode found) {
        return new ToksException(path + ": expected " + expected + ", not " + MappingErrors.shown(found));
    }
}
