package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.TokenCountSource;
import io.toks.report.Units;
import io.toks.bench.engine.EngineTarget;
import io.toks.core.target.TargetRequest;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.sampling.Sampler;
import io.toks.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", header = "Generate text from a prompt and print its timing.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates text from a prompt, streaming it to stdout, then prints timing statistics",
                "(load, prefill and decode tok/s, time to first token) to stderr, like 'ollama run --verbose'."},
        footer = {"", "Examples:", "  toks run --prompt \"Once upon a time\"",
                "  toks run model.gguf -p \"Hello\" -n 64 --temperature 0"})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, defaultValue = "", description = "Prompt text. Default: empty (BOS only).")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "256", paramLabel = "N",
            description = "Most tokens to generate. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature; 0 = greedy. Default: ${DEFAULT-VALUE}.")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.9", paramLabel = "P",
            description = "Nucleus sampling: keep the most likely tokens up to this total probability; 1 = off. Default: ${DEFAULT-VALUE}.")
    float topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "Keep only the K most likely tokens; 0 = off. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: from the clock; printed with the statistics).")
    Long seed;

    @Option(names = "--kernels", defaultValue = "auto", paramLabel = "K",
            description = "auto (native where the library was built), java or native. Default: ${DEFAULT-VALUE}.")
    String kernels;

    @Option(names = "--cache-type", paramLabel = "T", description = CacheTypes.DESCRIPTION)
    String cacheType;

    @Option(names = {"-t", "--threads"}, paramLabel = "T", description = "Threads. Default: all available processors.")
    Integer threads;

    @Option(names = "--ignore-eos", description = "Keep generating past the end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--no-echo", description = "Do not print the prompt before the generated text.")
    boolean noEcho;

    @Mixin
    ReferenceTokenizerOption referenceTokenizerOption;

    @Mixin
    ProfileOptions profileOptions;

    @Override
    public Integer call() {
        try (ProfileOptions.Profiling profiling = profileOptions.start(spec.commandLine().getErr())) {
            return generate();
        }
    }

    private Integer generate() {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1, got " + maxTokens);
        long actualSeed = seed != null ? seed : System.nanoTime();
        Sampler sampler = Sampler.of(temperature, topK, topP, actualSeed);
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threadCount);
        var cache = CacheTypes.parse(cacheType); // refused before the model loads and the prompt is echoed
        PrintWriter err = spec.commandLine().getErr();

        long loadStart = System.nanoTime();
        LlamaModel model = modelOptions.load().withKernels(Kernels.parse(kernels));
        long loadNanos = System.nanoTime() - loadStart;
        Tokenizer tokenizer = model.tokenizer();
        int[] promptIds = tokenizer.encode(prompt, true, false);
        int contextLength = model.config().contextLength();
        if (promptIds.length > contextLength) {
            throw new ToksException("prompt is " + promptIds.length + " tokens but " + model.info().name()
                    + " has a context of " + contextLength + " tokens");
        }
        int context = Math.min(contextLength, promptIds.length + maxTokens);

        var out = new WriterOutputStream(spec.commandLine().getOut());
        var trace = new RequestTrace(maxTokens);
        var generatedText = new java.io.ByteArrayOutputStream();
        TokenEvents streamText = new TokenEvents() {
            private int previous = promptIds[promptIds.length - 1];

            @Override
            public void tokens(long nanos, int count, TokenCountSource source, int tokenId) {
                byte[] piece = tokenizer.decode(previous, tokenId);
                generatedText.writeBytes(piece);
                out.write(piece, 0, piece.length);
                out.flush();
                previous = tokenId;
            }
        };
        // The engine (its KV cache of this type, its threads) is made before anything is printed:
        // what it refuses leaves stdout empty.
        try (var target = new EngineTarget(model, threadCount, context, cache, sampler, Clock.SYSTEM)) {
            if (!noEcho) {
                byte[] echo = tokenizer.decode(java.util.Arrays.copyOfRange(promptIds, 1, promptIds.length)).getBytes(StandardCharsets.UTF_8);
                out.write(echo, 0, echo.length);
                out.flush();
            }
            target.run(new TargetRequest("run", prompt, maxTokens, ignoreEos), TokenEvents.both(trace, streamText));
        }
        if (!trace.ok()) throw new ToksException(trace.errorMessage());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().flush();
        printStatistics(err, model, trace, loadNanos, threadCount, actualSeed);
        printTextNormalizedRate(err, trace, generatedText.toString(StandardCharsets.UTF_8));
        return 0;
    }

    /**
     * The decode rate in units that do not depend on the model's tokenizer: characters per second
     * and reference-tokenizer tokens per second of the generated text (docs/metrics.md).
     */
    private void printTextNormalizedRate(PrintWriter err, RequestTrace trace, String text) {
        RequestMetrics m = RequestMetrics.of(trace);
        int n = m.outputTokens();
        if (n < 2) return;
        double seconds = m.decodeSeconds();
        // Tokens 2..n fall in that window; scale the text to them so the rate matches decode_tps.
        double share = (n - 1) / (double) n;
        long chars = text.codePointCount(0, text.length());
        String referenceTokenizer = referenceTokenizerOption.name;
        var reference = TokenizerSpecs.load(referenceTokenizer, TokenizerSpecs.defaultVocabDir());
        long refTokens = reference.encode(text, false, false).length;
        line(err, "eval rate (text)", String.format(Locale.ROOT, "%.0f chars/s, %.2f %s tokens/s  (%d chars, %d %s tokens for %d model tokens)",
                chars * share / seconds, refTokens * share / seconds, referenceTokenizer, chars, refTokens, referenceTokenizer, n));
        err.flush();
    }

    private void printStatistics(PrintWriter err, LlamaModel model, RequestTrace trace, long loadNanos,
                                 int threadCount, long actualSeed) {
        RequestMetrics m = RequestMetrics.of(trace);
        double decodeSeconds = m.decodeSeconds();
        err.println();
        line(err, "model", model.info().name() + " (" + model.info().weightType() + ", " + threadCount + " threads, " + model.kernels().label()
                + " kernels, seed " + actualSeed + ")");
        line(err, "total duration", Units.duration(loadNanos / 1e9 + m.e2eSeconds()));
        line(err, "load duration", Units.duration(loadNanos / 1e9));
        line(err, "prompt eval count", m.promptTokens() + " token(s)");
        line(err, "prompt eval duration", Units.duration(m.prefillSeconds()));
        line(err, "prompt eval rate", rate(m.prefillTps()) + "  (prefill_tps)");
        line(err, "time to first token", Units.duration(m.ttftSeconds()) + "  (ttft)");
        line(err, "eval count", m.outputTokens() + " token(s)" + finishNote(trace.finishReason()));
        line(err, "eval duration", Units.duration(decodeSeconds) + "  (first to last token)");
        line(err, "eval rate", rate(m.decodeTps()) + "  (decode_tps)");
        line(err, "note", "a fresh JVM compiles the engine while it runs: short runs include that; toks bench warms up first");
        err.flush();
    }

    private static String finishNote(FinishReason reason) {
        return switch (reason) {
            case STOP -> ", stopped at end of sequence";
            case LENGTH, OTHER -> "";
            case CONTEXT_FULL -> ", stopped: context full";
        };
    }

    private static String rate(double tps) {
        return Double.isNaN(tps) ? "n/a" : String.format(Locale.ROOT, "%.2f tokens/s", tps);
    }

    private static void line(PrintWriter err, String label, String value) {
        err.printf(Locale.ROOT, "%-21s %s%n", label + ":", value);
    }
}
