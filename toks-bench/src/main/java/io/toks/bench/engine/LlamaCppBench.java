package io.toks.bench.engine;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.stats.Statistics;
import io.toks.engine.model.LlamaModel;
import io.toks.llamacpp.BindingFacts;
import io.toks.llamacpp.Completion;
import io.toks.llamacpp.LlamaCppModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures llama.cpp, in this process through its Java binding, on the plan {@link EngineBench}
 * runs on toks's engine, so the two compare test by test. The binding takes text prompts and
 * streams outputs, so the tests are timed from outside llama.cpp:
 * <ul>
 *   <li>{@code ppN}: a text prompt that llama.cpp's tokenizer makes exactly N tokens (BOS
 *       included where the model adds it; {@link ExactLengthPrompt}), one token generated;
 *       tok/s = N / (time from handing over the request to the first output). That time also
 *       holds what llama-bench's does not: the request's JSON, tokenizing the prompt, two queue
 *       hops between threads, sampling one token and turning it into text. It cannot be separated
 *       through the binding.</li>
 *   <li>{@code tgN}: from BOS alone, N + 1 tokens generated greedily, past any end of sequence
 *       and never a token that is part of a UTF-8 character (which would stream no output of its
 *       own); tok/s = N / (time from the first output to the last). Between them lie N
 *       single-token forward passes, each with its sampling, text and queue hop: llama-bench
 *       times the forward passes alone.</li>
 * </ul>
 * Every request prefills its whole prompt (no prompt cache). Tests run on an empty context only.
 */
public final class LlamaCppBench {

    private final Path gguf;
    private final LlamaModel model;
    private final Clock clock;
    private final TextDensity density;
    private final BindingFacts binding = BindingFacts.here();

    /**
     * @param gguf    the model file llama.cpp loads
     * @param model   the same file as toks loaded it: its facts, BOS rule and context length
     * @param density the tokenizer's text density (null for none), as for toks's runs
     */
    public LlamaCppBench(Path gguf, LlamaModel model, Clock clock, TextDensity density) {
        this.gguf = gguf;
        this.model = model;
        this.clock = clock;
        this.density = density;
    }

    /** Refuses, before any slow work, what llama.cpp cannot run as toks's engine does. */
    public static void checkSupported(BenchPlan plan) {
        if (plan.maxSequences() > 1) {
            throw new ToksException("llama.cpp is measured one sequence at a time: its binding serves one request per call "
                    + "(for B sequences together run llama.cpp's own llama-batched-bench on the file, docs/metrics.md)");
        }
        if (plan.depths().stream().anyMatch(d -> d > 0)) {
            throw new ToksException("llama.cpp is measured on an empty context only (depth 0): a deeper one would need its prompt "
                    + "cache to hold the untimed tokens, which the binding does not let toks control");
        }
    }

    /**
     * Loads llama.cpp's native library, so that a platform it does not support is one line before any slow work.
     *
     * @throws ToksException saying why llama.cpp cannot run here
     */
    public static void checkAvailable() {
        LlamaCppModel.checkAvailable();
    }

    /** llama.cpp as the manifest lists it beside toks's engine. */
    public static TargetFacts.ExternalEngine target() {
        BindingFacts b = BindingFacts.here();
        return new TargetFacts.ExternalEngine(EngineRun.LLAMA_CPP, b.llamaCppBuild(), b.binding(), b.cpuFeatures(), b.notes());
    }

    /**
     * Runs the plan: per thread count, llama.cpp loads the model once (its thread counts are fixed
     * at load), then every test runs its warm-ups and timed repetitions. Each finished test goes
     * to {@code onRun} at once.
     */
    public List<EngineRun> run(BenchPlan plan, BenchProgress progress, Consumer<EngineRun> onRun) {
        checkSupported(plan);
        EngineBench.checkFits(model, plan);
        List<EngineRun> runs = new ArrayList<>();
        for (int threads : plan.threads()) {
            // One position more than toks's engine needs: llama.cpp samples the token after the last timed one.
            try (LlamaCppModel llama = LlamaCppModel.open(gguf, threads, plan.contextNeeded() + 1)) {
                List<Integer> partialCharacters = llama.partialCharacterTokens(model.config().vocabSize());
                for (BenchTest test : plan.tests()) {
                    String what = "llama.cpp " + test.label() + " t=" + threads;
                    progress.testStarted(what, plan.repetitions());
                    String prompt = prompt(llama, test);
                    for (int i = 0; i < plan.warmups(); i++) measure(llama, test, prompt, partialCharacters);
                    double[] samples = new double[plan.repetitions()];
                    for (int r = 0; r < samples.length; r++) {
                        samples[r] = measure(llama, test, prompt, partialCharacters);
                        progress.repetitionDone(what, r + 1, samples.length, samples[r]);
                    }
                    EngineRun run = engineRun(test, threads, samples);
                    runs.add(run);
                    onRun.accept(run);
                }
            }
        }
        return runs;
    }

    /**
     * The test's prompt: for ppN, N tokens with BOS; for tgN, BOS alone (an empty text), or for a
     * model without BOS one token of text.
     */
    private String prompt(LlamaCppModel llama, BenchTest test) {
        int bos = model.info().addsBos() ? 1 : 0;
        int textTokens = test.kind() == BenchTest.Kind.PREFILL ? test.tokens() - bos : 1 - bos;
        return ExactLengthPrompt.of(textTokens, llama::encode, llama::decode, TextDensity.referenceText());
    }

    /**
     * One timed run: tokens per second. A decode test never generates {@code partialCharacters}
     * (llama.cpp streams nothing for a token that ends inside a UTF-8 character, which would leave
     * a step without its output): greedy picks the best of the others.
     */
    private double measure(LlamaCppModel llama, BenchTest test, String prompt, List<Integer> partialCharacters) {
        int n = test.tokens();
        if (test.kind() == BenchTest.Kind.PREFILL) {
            Completion c = llama.complete(prompt, 1, true, clock);
            return n / seconds(c.firstArrivalAt() - c.requestedAt());
        }
        Completion c = llama.complete(prompt, n + 1, true, partialCharacters, clock);
        if (c.outputs() != n + 1) {
            throw new ToksException("llama.cpp streamed " + c.outputs() + " outputs for " + (n + 1) + " tokens: tg" + n
                    + " cannot be timed token by token on " + model.info().name());
        }
        long[] at = c.tokenOutputsAt();
        return n / seconds(at[n] - at[0]);
    }

    private EngineRun engineRun(BenchTest test, int threads, double[] samples) {
        double mean = Statistics.summarize(samples).mean();
        return EngineRun.of(EngineRun.LLAMA_CPP, test.label(), EngineBench.modelFacts(model, density), binding.describe(), threads,
                test.kind() == BenchTest.Kind.PREFILL, test.tokens(), 0, samples, TokenCountSource.ENGINE_IDS, null,
                density == null ? null : density.estimates(mean));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
