package io.toks.cli;

import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.energy.EnergyTally;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.quality.PerplexityPlan;
import io.toks.bench.quality.QualityBench;
import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.QualityRun;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.LlamaModel;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "perplexity", header = "Quality: perplexity and KL divergence, as llama.cpp computes them.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How well a model predicts a text, computed as llama.cpp's perplexity",
                "tool does: the text tokenized once with BOS, chunks of --ctx tokens each",
                "starting with BOS, the second half of each chunk scored; ± is its standard",
                "error. Also the speed of the evaluation. Against a reference (--reference,",
                "--kl-from, or the first of --types): the KL divergence of the next-token",
                "distributions, how often the top token agrees, RMS Δp and Δ perplexity.",
                "docs/metrics.md, \"Quality\", defines each figure."},
        footer = {"", "Examples:",
                "  toks perplexity ../shared/corpus/tinystories/tinystories_sample.txt --ctx 128     # the embedded model",
                "  toks perplexity model-q4_0.gguf wiki.txt --reference model-f16.gguf",
                "  toks perplexity model-f16.gguf wiki.txt --save-logits f16.logits    # then, later:",
                "  toks perplexity model-q4_0.gguf wiki.txt --kl-from f16.logits",
                "  toks perplexity text.txt --ctx 128 --types f32,f16,q8_0,q4_0          # each precision against the first"})
final class PerplexityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..2", paramLabel = "[MODEL] TEXT",
            description = "The text file to score, after the model file (GGUF or llama2.c .bin; default: the embedded stories260K).")
    List<Path> arguments;

    @Option(names = "--ctx", defaultValue = "512", paramLabel = "N", description = "Tokens per chunk. Default: ${DEFAULT-VALUE} (llama.cpp's).")
    int ctx;

    @Option(names = "--chunks", paramLabel = "N", description = "Score only the first N chunks. Default: every whole chunk of the text.")
    Integer chunks;

    @Option(names = "--types", split = ",", paramLabel = "TYPE[,TYPE...]",
            description = {"Convert the model in memory to each type (f32, f16, bf16, q8_0, q4_0,",
                    "q4_1, q4_k, q5_k, q6_k) and score each against the first (list the highest",
                    "precision first)."})
    List<String> types;

    @Option(names = "--reference", paramLabel = "BASE", description = "A model to measure against (scored first, then released).")
    Path reference;

    @Option(names = "--save-logits", paramLabel = "FILE", description = "Keep the model's log-probabilities for a later --kl-from.")
    Path saveLogits;

    @Option(names = "--kl-from", paramLabel = "FILE", description = "Measure against log-probabilities saved by --save-logits.")
    Path klFrom;

    @Option(names = "--url", paramLabel = "URL",
            description = {"Score the text on a server instead (OpenAI completions with echo and",
                    "logprobs: vLLM, toks serve), e.g. http://127.0.0.1:8000/v1. MODEL then only",
                    "gives the tokenizer (the served model's file)."})
    String url;

    @Option(names = "--model", paramLabel = "NAME", description = "With --url: the served model's name. Default: the first the server lists.")
    String servedModel;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "With --url: send the API key held in this environment variable.")
    String apiKeyEnv;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Tokenizer for a llama2.c model (default: tok<vocab>.bin or tokenizer.bin beside it).")
    Path tokenizer;

    @Option(names = "--kernels", defaultValue = "auto", paramLabel = "K",
            description = "auto (native where the library was built), java or native. Default: ${DEFAULT-VALUE}.")
    String kernels;

    @Option(names = "--cache-type", paramLabel = "T", description = CacheTypes.DESCRIPTION)
    String cacheType;

    @Option(names = {"-t", "--threads"}, paramLabel = "T", description = "Threads. Default: all available processors.")
    Integer threads;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Mixin
    EnergyOptions energyOptions;

    @Override
    public Integer call() throws IOException {
        // Everything a user can get wrong is checked here, before a model is loaded or a token scored.
        Format format = outputOptions.format("perplexity");
        progressOptions.mode();
        energyOptions.wanted();
        Path textFile = arguments.get(arguments.size() - 1);
        Path modelFile = arguments.size() == 2 ? arguments.get(0) : null;
        String text = readText(textFile);
        if (chunks != null && chunks < 1) throw new ToksException("--chunks must be at least 1, got " + chunks);
        var plan = new PerplexityPlan(ctx, chunks == null ? 0 : chunks);
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) throw new ToksException("--threads must be at least 1");
        Kernels kernelChoice = Kernels.parse(kernels);
        int referenceCount = (reference != null ? 1 : 0) + (klFrom != null ? 1 : 0);
        if (referenceCount > 1) throw new ToksException("give --reference or --kl-from, not both");
        if (klFrom != null && !Files.isRegularFile(klFrom)) throw new ToksException("--kl-from: no such file: " + klFrom);
        if (reference != null && !Files.isRegularFile(reference)) throw new ToksException("--reference: model file not found: " + reference);
        if (types != null && types.size() > 1 && referenceCount > 0) {
            throw new ToksException("with several --types the first is the reference; leave out --reference and --kl-from");
        }
        if (saveLogits != null && types != null && types.size() > 1) throw new ToksException("--save-logits keeps one model's log-probabilities; give one --types");
        if (url != null && (referenceCount > 0 || saveLogits != null || types != null)) {
            throw new ToksException("--url scores perplexity only (a server returns no whole distributions): leave out --reference, --kl-from, --save-logits and --types");
        }
        if (url == null && servedModel != null) throw new ToksException("--model names a served model: give --url too");
        var modelOptions = new ModelOptions();
        modelOptions.model = modelFile;
        modelOptions.tokenizer = tokenizer;
        List<ModelSource> sources = ModelSource.withTypes(ModelSource.resolve(modelOptions, null), types);

        if (url != null) return scoreServer(format, textFile, text, plan, modelOptions);
        var display = progressOptions.open(spec);
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr());
             EnergyMonitor energy = energyOptions.open(display)) {
            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            TargetFacts.Engine target = EngineBench.target(List.of());
            var writer = new ResultWriter("perplexity", MachineFacts.manifest(target, parameters(textFile, sources)).withEnergy(energy.facts()),
                    Renderers.of("perplexity", format, out), recording.sinks());
            FinishOnInterrupt onInterrupt = FinishOnInterrupt.register("perplexity", writer, spec.commandLine().getErr());
            Path referenceLogits = klFrom;
            String referenceName = klFrom == null ? null : klFrom.toString();
            Path temporary = null;
            try {
                if (reference != null) {
                    temporary = Files.createTempFile("toks-reference-", ".logits");
                    var base = new ModelOptions();
                    base.model = reference;
                    LlamaModel model = base.load().withKernels(kernelChoice);
                    score(model, textFile, text, plan, threadCount, temporary, null, null, writer, display, energy);
                    referenceLogits = temporary;
                    referenceName = reference.toString();
                }
                for (int i = 0; i < sources.size(); i++) {
                    LlamaModel model = sources.get(i).load().withKernels(kernelChoice);
                    writer.manifest(writer.manifest().withTarget(target = target.withModel(EngineBench.modelFacts(model, null))));
                    boolean firstOfSeveral = i == 0 && sources.size() > 1;
                    if (firstOfSeveral) temporary = Files.createTempFile("toks-reference-", ".logits");
                    score(model, textFile, text, plan, threadCount, firstOfSeveral ? temporary : saveLogits,
                            i > 0 ? temporary : referenceLogits, i > 0 ? sources.get(0).label() : referenceName, writer, display, energy);
                }
            } finally {
                try {
                    writer.manifest(writer.manifest().withEnergy(energy.facts())); // a source that failed midway says so
                    writer.finish(); // also after a failure: the models scored so far are kept
                    onInterrupt.close();
                } finally {
                    if (temporary != null) Files.deleteIfExists(temporary);
                }
            }
        }
        return 0;
    }

    private void score(LlamaModel model, Path textFile, String text, PerplexityPlan plan, int threads, Path save, Path klFromFile,
                       String referenceName, ResultWriter writer, io.toks.cli.progress.Progress display, EnergyMonitor energy) {
        int[] tokens = QualityBench.tokenize(model, text);
        int chunksToScore = plan.chunksOf(tokens.length); // a text too short is named before any work
        QualityRun run;
        EnergyTally drawn = energy.tally();
        try (ProgressTask task = display.start(model.info().name() + " " + model.info().weightType(), chunksToScore, "chunks")) {
            drawn.begin();
            run = QualityBench.measure(model, textFile.toString(), tokens,
                    new QualityBench.Options(plan, threads, save, klFromFile, referenceName, CacheTypes.parse(cacheType)),
                    (done, of, ppl, tps) -> {
                        task.doneSoFar(done);
                        task.message(String.format(Locale.ROOT, "ppl %.4f, %.1f t/s", ppl, tps));
                    });
            drawn.end();
        }
        writer.accept(run.withMetrics(energy.metrics(drawn.total(), run.tokensScored()))); // after the bar is gone: the row comes next
    }

    /** Perplexity from a server's prompt log-probabilities, the text tokenized by MODEL's tokenizer. */
    private int scoreServer(Format format, Path textFile, String text, PerplexityPlan plan, ModelOptions tokenizerSource) {
        java.net.URI base = LoadCommand.parseUrl(url);
        LlamaModel local = tokenizerSource.load(); // for its tokenizer: the ids must be the served model's
        int[] tokens = QualityBench.tokenize(local, text);
        int chunksToScore = plan.chunksOf(tokens.length);
        String apiKey = null;
        if (apiKeyEnv != null) {
            apiKey = System.getenv(apiKeyEnv);
            if (apiKey == null || apiKey.isBlank()) throw new ToksException("environment variable " + apiKeyEnv + " (--api-key-env) is not set");
        }
        String name = servedModel != null ? servedModel : firstServedModel(base, apiKey);
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr())) {
            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            var facts = new TargetFacts.Server(url, "completions", name, "token ids of " + textFile + " (" + local.info().name() + "'s tokenizer)");
            var display = progressOptions.open(spec);
            EnergyMonitor energy = energyOptions.open(display, base);
            var writer = new ResultWriter("perplexity", MachineFacts.manifest(facts, parameters(textFile, List.of())).withEnergy(energy.facts()),
                    Renderers.of("perplexity", format, out), recording.sinks());
            try (energy) {
                QualityRun run;
                EnergyTally drawn = energy.tally();
                try (ProgressTask task = display.start(name, chunksToScore, "chunks")) {
                    drawn.begin();
                    run = QualityBench.measureServer(base, name, apiKey, QualityBench.chunkStart(local), textFile.toString(), tokens, plan,
                            (done, of, ppl, tps) -> {
                                task.doneSoFar(done);
                                task.message(String.format(Locale.ROOT, "ppl %.4f", ppl));
                            });
                    drawn.end();
                }
                writer.accept(run.withMetrics(energy.metrics(drawn.total(), run.tokensScored())));
            } finally {
                writer.manifest(writer.manifest().withEnergy(energy.facts()));
                writer.finish();
            }
        }
        return 0;
    }

    private static String firstServedModel(java.net.URI base, String apiKey) {
        try (var http = new io.toks.http.client.StreamingHttpClient(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30))) {
            return LoadCommand.firstModel(http, base, apiKey, io.toks.http.openai.ApiFlavor.COMPLETIONS);
        }
    }

    /** A text file as a String; one line naming the file when it is missing or not UTF-8. */
    static String readText(Path file) {
        if (!Files.isRegularFile(file)) throw new ToksException("text file not found: " + file);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ToksException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ToksException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> parameters(Path textFile, List<ModelSource> sources) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("models", sources.stream().map(ModelSource::label).toList());
        p.put("text", textFile.toString());
        p.put("ctx", ctx);
        p.put("chunks", chunks);
        p.put("types", types == null ? List.of() : types);
        p.put("reference", reference == null ? null : reference.toString());
        p.put("kl_from", klFrom == null ? null : klFrom.toString());
        p.put("save_logits", saveLogits == null ? null : saveLogits.toString());
        p.put("kernels", kernels);
        p.put("cache_type", CacheTypes.parse(cacheType).key());
        p.put("threads", threads != null ? threads : Runtime.getRuntime().availableProcessors());
        energyOptions.record(p);
        return p;
    }
}
