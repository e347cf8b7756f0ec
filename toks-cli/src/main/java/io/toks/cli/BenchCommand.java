package io.toks.cli;

import io.toks.bench.engine.BenchPlan;
import io.toks.bench.engine.BenchProgress;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.engine.Roofline;
import io.toks.bench.engine.TextDensity;
import io.toks.bench.hw.BandwidthSampler;
import io.toks.bench.hw.HardwareProbe;
import io.toks.bench.output.Format;
import io.toks.bench.output.ResultWriter;
import io.toks.core.events.Clock;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.engine.kernel.KernelSupport;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.LlamaModel;
import io.toks.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks prefill (ppN) and decode (tgN) tokens per second, like llama-bench.",
                "Every combination of the listed values is run, each with warm-up and repetitions."},
        footer = {"", "ppN: prefill of N random tokens into an empty cache; t/s = N / prefill time.",
                "tgN: N single-token forward passes from an empty cache; t/s = N / their time (sampling not timed).",
                "See docs/metrics.md for every definition.",
                "", "Examples:", "  toks bench", "  toks bench model.gguf -p 128,512 -n 128 -r 5 -t 1,2 --output json"})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--synthetic", split = ",", paramLabel = "PRESET:TYPE",
            description = {"Benchmark models with the exact shapes of real ones and random weights, built in memory",
                    "(no download). Presets: smollm2-135m, qwen2.5-0.5b, llama-3.2-1b, llama-3.2-3b, llama-3.1-8b,",
                    "mistral-7b. Types: f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m.",
                    "Speed is representative; generated text would be gibberish."})
    List<String> synthetic;

    @Option(names = "--types", split = ",", paramLabel = "TYPE[,TYPE...]",
            description = {"Also quantize the model in memory to each type (f32, f16, bf16, q8_0, q4_0, q4_1)",
                    "and benchmark every one: one table across precisions."})
    List<String> types;

    @Option(names = "--kernels", split = ",", defaultValue = "auto", paramLabel = "K[,K...]",
            description = {"Kernels to measure: java (Vector API), native (the C library built with the jar: matrix",
                    "products of every weight type, per the CPU's vector extensions; the footer lists them; Java does",
                    "attention, norms and RoPE), auto (native where built). Several give one row each, on the same",
                    "weights in the same run. Default: ${DEFAULT-VALUE}."})
    List<String> kernels;

    @Option(names = {"-p", "--n-prompt"}, split = ",", paramLabel = "N[,N...]", defaultValue = "128",
            description = "Prompt lengths to prefill (pp tests); 0 for none. Default: ${DEFAULT-VALUE}.")
    List<Integer> promptLengths;

    @Option(names = {"-n", "--n-gen"}, split = ",", paramLabel = "N[,N...]", defaultValue = "128",
            description = "Tokens to generate (tg tests); 0 for none. Default: ${DEFAULT-VALUE}.")
    List<Integer> genLengths;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "T[,T...]",
            description = "Thread counts. Default: all available processors.")
    List<Integer> threads;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", paramLabel = "R",
            description = "Timed repetitions per test. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W",
            description = "Untimed warm-up runs per test (JIT compilation). Default: ${DEFAULT-VALUE}.")
    int warmups;

    @Option(names = "--jit-warmup-ms", defaultValue = "3000", paramLabel = "MS",
            description = {"Before measuring a model, all its tests run untimed this long, so timings see",
                    "JIT-compiled code. Default: ${DEFAULT-VALUE}."})
    int jitWarmupMillis;

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = "md, csv, json or jsonl. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--no-roofline", negatable = false,
            description = "Skip measuring memory bandwidth and peak FLOPs (a few seconds) and the roofline column.")
    boolean noRoofline;

    @Option(names = "--reference-tokenizer", defaultValue = "cl100k", paramLabel = "NAME",
            description = {"Tokenizer for the text-normalized estimates (JSON/CSV 'text_normalized', and the footer):",
                    "model tok/s converted to chars/s and to this tokenizer's tok/s. Default: ${DEFAULT-VALUE}."})
    String referenceTokenizer;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random prompt tokens. Default: ${DEFAULT-VALUE}.")
    long seed;

    private static boolean interactiveOutput(Format format) {
        return System.console() != null && format == Format.MD;
    }

    @Override
    public Integer call() {
        Format format = Format.parse(output);
        List<Integer> threadList = threads == null ? List.of(Runtime.getRuntime().availableProcessors()) : threads;
        BenchPlan plan = new BenchPlan(promptLengths, genLengths, threadList, repetitions, warmups, seed, jitWarmupMillis);
        if (plan.tests().isEmpty()) throw new IllegalArgumentException("nothing to run: all -p and -n values are 0");

        PrintWriter err = spec.commandLine().getErr();
        List<Kernels> kernelChoices = kernels.stream().map(Kernels::parse).distinct().toList();
        List<ModelSource> sources = ModelSource.withTypes(ModelSource.resolve(modelOptions, synthetic), types);
        Map<String, Object> target = EngineBench.engineFacts();
        // One buffer for the whole run: the up-front figures and the samples taken during each test.
        BandwidthSampler bandwidth = noRoofline ? null : new BandwidthSampler(1L << 30);
        Map<Integer, Roofline> rooflines = noRoofline ? Map.of() : measureRooflines(plan, format, err, target, bandwidth);
        List<Map<String, Object>> models = new java.util.ArrayList<>();
        target.put("models", models);
        Manifest manifest = MachineFacts.manifest(target, parameters(plan, sources));

        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        var writer = new ResultWriter(format, out, manifest);
        boolean interactive = interactiveOutput(format);
        BenchProgress progress = interactive
                ? (what, rep, of, tps) -> err.printf(Locale.ROOT, "\r  %s: %d/%d  %.2f t/s   %s", what, rep, of, tps, rep == of ? "\r" + " ".repeat(60) + "\r" : "")
                : BenchProgress.SILENT;
        boolean anySynthetic = false;
        Tokenizer reference = TokenizerSpecs.load(referenceTokenizer, TokenizerSpecs.defaultVocabDir());
        Map<String, TextDensity> densities = new LinkedHashMap<>();
        try {
            for (ModelSource source : sources) {
                if (interactive && source.synthetic()) err.print("  building " + source.label() + " ...\r");
                LlamaModel model = source.load();
                // The manifest object is shared with the writer, so models appear in it as they load.
                Map<String, Object> facts = EngineBench.modelFacts(model);
                models.add(facts);
                anySynthetic |= source.synthetic();
                TextDensity density = TextDensity.of(model.tokenizer(), reference, referenceTokenizer);
                if (density != null) {
                    densities.put(model.info().name(), density);
                    facts.put("text_density", density);
                }
                for (Kernels k : kernelChoices) {
                    new EngineBench(model.withKernels(k), Clock.SYSTEM, density).run(plan, progress, writer::accept, rooflines::get,
                            bandwidth == null ? null : bandwidth::sampleGbs);
                }
            }
        } finally {
            writer.finish(); // also on failure: rows measured so far are kept
        }
        if (format == Format.MD) {
            printFooter(out, plan, manifest, rooflines, anySynthetic, kernelChoices);
            densities.forEach((name, d) -> out.printf(Locale.ROOT,
                    "text: %s's tokenizer averages %.2f chars/token on %s (%s: %.2f %s tokens per model token); "
                            + "x t/s gives estimated chars/s (in JSON/CSV: text_normalized)%n",
                    name, d.charsPerToken(), d.text(), referenceTokenizer, d.referenceTokensPerToken(), referenceTokenizer));
        }
        return 0;
    }

    /** Every parameter of the run, for the manifest. */
    private Map<String, Object> parameters(BenchPlan plan, List<ModelSource> sources) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("models", sources.stream().map(ModelSource::label).toList());
        parameters.put("types", types == null ? List.of() : types);
        parameters.put("kernels", kernels);
        parameters.put("n_prompt", plan.promptLengths());
        parameters.put("n_gen", plan.genLengths());
        parameters.put("threads", plan.threads());
        parameters.put("repetitions", plan.repetitions());
        parameters.put("warmups", plan.warmups());
        parameters.put("seed", plan.seed());
        parameters.put("jit_warmup_ms", plan.jitWarmupMillis());
        return parameters;
    }

    /** Memory bandwidth and peak FLOPs at each thread count of the plan, also recorded in the manifest's target. */
    private static Map<Integer, Roofline> measureRooflines(BenchPlan plan, Format format, PrintWriter err, Map<String, Object> target,
                                                           BandwidthSampler bandwidth) {
        Map<Integer, Roofline> rooflines = new java.util.TreeMap<>();
        Map<String, Object> hardware = new LinkedHashMap<>();
        for (int t : plan.threads()) {
            if (interactiveOutput(format)) err.print("  measuring memory bandwidth and peak FLOPs at " + t + " thread(s) ...\r");
            // Best of five passes over 1 GiB: on a shared host single passes vary a lot.
            var bw = HardwareProbe.best(t, bandwidth, 5);
            var fl = HardwareProbe.peakFmaGflops(t, 3);
            rooflines.put(t, new Roofline(bw.best() * 1e9, fl.best() * 1e9));
            hardware.put(t + "_threads", Map.of("read_bandwidth_gbs", bw.best(), "peak_fma_gflops", fl.best()));
        }
        target.put("hardware_limits", hardware);
        return rooflines;
    }

    private static String names(java.util.Collection<io.toks.engine.tensor.GgmlType> types) {
        return String.join("/", types.stream().map(Enum::name).sorted().toList());
    }

    private static void printFooter(PrintStream out, BenchPlan plan, Manifest manifest, Map<Integer, Roofline> rooflines,
                                    boolean anySynthetic, List<Kernels> kernelChoices) {
        out.printf(Locale.ROOT, "%nt/s = mean ± stdev over %d repetitions (after a %d ms JIT warm-up and %d warm-up run(s) per test); %s%n",
                plan.repetitions(), plan.jitWarmupMillis(), plan.warmups(), manifest.cpuModel());
        KernelSupport kernels = Kernels.support();
        out.printf(Locale.ROOT, "kernels: java = %s%s%n", EngineBench.kernelsDescription(),
                kernels.nativeAvailable() ? "; native = " + kernels.nativeIsa() + " library: decode " + names(kernels.nativeDecodeTypes())
                        + ", prefill " + names(kernels.nativePrefillTypes())
                        + " (quantized types on activations rounded to int8 per 32 values, BF16 and F16 prefill on activations rounded to BF16 and F16), java for the rest"
                        : "; native unavailable: " + kernels.nativeUnavailableReason());
        rooflines.forEach((t, r) -> out.printf(Locale.ROOT,
                "roofline at %d thread(s), measured in this run: memory read %.1f GB/s (best of 5 before the tests), peak FP32 FMA %.0f GFLOP/s; "
                        + "%% mem = mbu against the median of reads taken during the test (in parentheses; the host's bandwidth drifts), "
                        + "%% fma = mfu (docs/metrics.md)%n",
                t, r.bandwidthBytesPerSecond() / 1e9, r.peakFlopsPerSecond() / 1e9));
        if (anySynthetic) out.println("synthetic models have random weights: their speed is representative, their text would be gibberish.");
        out.flush();
    }
}
