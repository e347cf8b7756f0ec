package io.toks.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * A GGUF model loaded by llama.cpp in this process, on the CPU, with one sequence slot: greedy
 * completions streamed and timed per output, and llama.cpp's own tokenizer.
 * <p>
 * The binding runs llama.cpp's HTTP server code without the HTTP: each request is a JSON
 * document handed to a server loop on a native thread, and each output comes back through a
 * result queue. Its prompt is text only (no token ids), tokenized by llama.cpp with the model's
 * special tokens (BOS where the model adds one). Thread counts are fixed when the model loads.
 * One request at a time.
 */
public final class LlamaCppModel implements AutoCloseable {

    /**
     * {@code -Dtoks.llamacpp.log=true} leaves llama.cpp's log on (standard error): its system info
     * at load, and per request its own prompt and generation times, to check toks's timing of it
     * against (docs/performance.md).
     */
    public static final String LOG_PROPERTY = "toks.llamacpp.log";

    /** llama-bench's defaults: logical and physical batch sizes of a prefill. */
    static final int BATCH = 2048;
    static final int MICRO_BATCH = 512;

    private final LlamaModel model;
    private boolean closed;

    private LlamaCppModel(LlamaModel model) {
        this.model = model;
    }

    /**
     * Loads llama.cpp's native library now, so a platform it does not support is reported before
     * any slow work.
     *
     * @throws ToksException one line saying why llama.cpp cannot run here
     */
    public static void checkAvailable() {
        NativeLibrary.ensureLoaded();
    }

    /**
     * Loads {@code gguf} for CPU inference.
     *
     * @param threads     threads for prefill and decode (llama.cpp's {@code -t} and {@code -tb})
     * @param contextSize positions of the KV cache: a prompt plus what it generates must fit
     * @throws ToksException one line when the native library cannot load here or llama.cpp refuses the file
     */
    public static LlamaCppModel open(Path gguf, int threads, int contextSize) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (contextSize < 1) throw new IllegalArgumentException("context size must be >= 1, got " + contextSize);
        if (!Files.isRegularFile(gguf)) throw new ToksException("model file not found: " + gguf);
        NativeLibrary.ensureLoaded();
        // No --gpu-layers: the binding's libraries are CPU builds, and the option only makes it print
        // a warning. --log-disable: llama.cpp logs to the process's standard error from its own
        // thread, which would interleave with toks's output; it cannot be redirected from Java.
        var parameters = new ModelParameters().setModel(gguf.toAbsolutePath().toString())
                .setThreads(threads).setThreadsBatch(threads).setCtxSize(contextSize)
                .setBatchSize(BATCH).setUbatchSize(MICRO_BATCH).setParallel(1);
        boolean logOn = Boolean.getBoolean(LOG_PROPERTY);
        if (!logOn) parameters.disableLog();
        // With the log on, what llama.cpp writes while loading is what the user asked to see: not captured.
        var load = logOn ? NativeStandardError.uncaptured(() -> new LlamaModel(parameters))
                : NativeStandardError.capture(() -> new LlamaModel(parameters));
        if (load.failure() == null) return new LlamaCppModel(load.value());
        throw new ToksException(BindingFacts.here().describe() + " could not load " + gguf + ": " + reason(load.written(), load.failure()),
                load.failure());
    }

    /**
     * Why llama.cpp refused a file: the last error line it wrote (its loader reports the cause
     * before the failure it ends with), else the binding's exception.
     */
    static String reason(String written, RuntimeException failure) {
        String cause = null;
        for (String line : written.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            if (cause == null || !line.contains("failed to load model")) cause = line;
        }
        return cause != null ? cause : message(failure);
    }

    /** llama.cpp's tokens for {@code text}, without BOS or other special tokens added. */
    public int[] encode(String text) {
        return model.encode(text);
    }

    /** The text of {@code tokens}, as llama.cpp renders it (a SentencePiece model's first word keeps its leading space). */
    public String decode(int[] tokens) {
        return model.decode(tokens);
    }

    /** Generates greedily from {@code prompt}; see {@link #complete(String, int, boolean, Collection, Clock)}. */
    public Completion complete(String prompt, int maxTokens, boolean ignoreEos, Clock clock) {
        return complete(prompt, maxTokens, ignoreEos, List.of(), clock);
    }

    /**
     * Generates greedily from {@code prompt}, timing every output with {@code clock}.
     * <p>
     * Greedy means the most likely token every step: temperature 0, top-k 1, no repetition
     * penalty. The prompt is never served from the KV cache of an earlier request
     * ({@code cache_prompt} off): every request prefills its whole prompt.
     *
     * @param maxTokens    tokens to generate at most
     * @param ignoreEos    generate exactly {@code maxTokens} tokens, past any end-of-sequence token
     * @param bannedTokens tokens never to generate (their logits set to minus infinity)
     */
    public Completion complete(String prompt, int maxTokens, boolean ignoreEos, Collection<Integer> bannedTokens, Clock clock) {
        if (closed) throw new IllegalStateException("the model is closed");
        if (maxTokens < 1) throw new IllegalArgumentException("at least one token must be generated, got " + maxTokens);
        var parameters = new InferenceParameters(prompt).setNPredict(maxTokens).setTemperature(0).setTopK(1)
                .setRepeatPenalty(1).setIgnoreEos(ignoreEos).setCachePrompt(false).setSeed(0).disableTokenIds(bannedTokens);
        long[] at = new long[maxTokens];
        int outputs = 0;
        var text = new StringBuilder();
        try {
            long requested = clock.nanoTime();
            Iterator<LlamaOutput> stream = model.generate(parameters).iterator(); // sends the request
            while (true) {
                LlamaOutput output = stream.next();
                long now = clock.nanoTime();
                text.append(output.text);
                if (!stream.hasNext()) return new Completion(requested, Arrays.copyOf(at, Math.min(outputs, at.length)), now, text.toString());
                if (outputs < at.length) at[outputs] = now;
                outputs++;
            }
        } catch (RuntimeException e) {
            throw new ToksException("llama.cpp refused the request: " + message(e), e);
        }
    }

    /**
     * The tokens among the first {@code vocabularySize} whose text alone is not whole UTF-8 (a byte
     * of a character split across tokens). llama.cpp streams no output for such a token until the
     * character is complete, so a caller that needs one output per token bans them.
     */
    public List<Integer> partialCharacterTokens(int vocabularySize) {
        List<Integer> partial = new ArrayList<>();
        for (int id = 0; id < vocabularySize; id++) {
            // The binding decodes bytes as UTF-8, replacing what is not whole with U+FFFD.
            if (model.decode(new int[] {id}).indexOf('\uFFFD') >= 0) partial.add(id);
        }
        return partial;
    }

    private static String message(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Stops the model's server loop. The binding keeps the model's native memory until the process
     * ends (its delete is a no-op in 4.2.0), so load models sparingly: one per thread count.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        model.close();
    }
}
