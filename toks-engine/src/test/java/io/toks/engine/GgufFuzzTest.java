package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.ModelInfo;
import io.toks.engine.parallel.WorkerPool;
import io.toks.tokenizer.IdOnlyTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of what reads a model file: the GGUF reader, the model assembly
 * (hyper-parameters, weights), one forward step of a model small enough to run in well under a
 * millisecond (Java kernels, and native ones where the library loaded), and the tokenizer the file
 * describes, then one encoding. Any outcome but a model or a named error (a ToksException) is a
 * defect. In a normal build this runs the seeds in GgufFuzzTestInputs;
 * {@code scripts/fuzz.sh GgufFuzzTest MINUTES} fuzzes.
 */
class GgufFuzzTest {

    /**
     * Multiply-adds one token may take through every matrix (attention, feed-forward, classifier)
     * for the forward step to run: 2^20, a fraction of a millisecond in the Java kernels, so the
     * fuzzer keeps its pace. Larger models are assembled but not run.
     */
    static final double MAX_MACS_PER_TOKEN = 1 << 20;
    private static final WorkerPool POOL = new WorkerPool(1);
    private static final ModelInfo INFO = new ModelInfo("fuzz", "fuzz.gguf", "gguf", 0, "", "fuzz");

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesOrNamesTheProblem(byte[] bytes) {
        try (Arena arena = Arena.ofShared()) { // shared: native packing of the weights runs on several threads
            GgufFile gguf = GgufReader.read(offHeap(bytes, arena), "fuzz.gguf");
            try {
                LlamaConfig config = GgufModelLoader.config(gguf);
                LlamaWeights weights = GgufModelLoader.weights(gguf, config);
                stepIfSmall(config, weights);
            } catch (ToksException e) {
                // a named problem with the model: fine
            }
            GgufModelLoader.tokenizer(gguf).encode("Hello, world! 123", true, false);
        } catch (ToksException e) {
            // a named problem: what a user should see
        }
    }

    /**
     * The run-* seeds are models that assemble and run (synthetic, written by SyntheticGguf:
     * Q8_0 and Q4_0 at dim 32, F16 at dim 16 with 2 layers, 300-token GPT-2 vocabularies): the
     * regression pass reaches the forward step, and the fuzzer starts from files that get there.
     */
    @Test
    void theRunSeedsAssembleAndRunAForwardStep() throws IOException {
        for (String seed : new String[] {"run-q8_0.gguf", "run-q4_0.gguf", "run-f16.gguf"}) {
            try (Arena arena = Arena.ofShared()) {
                GgufFile gguf = GgufReader.read(offHeap(seed(seed), arena), seed);
                LlamaConfig config = GgufModelLoader.config(gguf);
                assertThat(stepIfSmall(config, GgufModelLoader.weights(gguf, config))).as(seed).isTrue();
            }
        }
    }

    /**
     * Prefills one or two tokens with each kind of kernel this process has, when the model is
     * small enough. The tokenizer plays no part in a step, so the file's own is not needed (the
     * fuzzer reaches the step without also building a valid vocabulary).
     *
     * @return whether the model was small enough to run
     */
    static boolean stepIfSmall(LlamaConfig c, LlamaWeights weights) {
        double perLayer = (double) c.dim() * (2.0 * c.dim() + 2.0 * c.kvDim() + 3.0 * c.hiddenDim());
        if (c.layers() * perLayer + (double) c.dim() * c.vocabSize() > MAX_MACS_PER_TOKEN) return false;
        var model = new LlamaModel(c, weights, new IdOnlyTokenizer(c.vocabSize(), 0, 0, "fuzz"), INFO);
        int context = Math.min(2, c.contextLength());
        int[] tokens = context == 1 ? new int[] {c.vocabSize() - 1} : new int[] {c.vocabSize() - 1, 0};
        new InferenceSession(model.withKernels(Kernels.JAVA), POOL, context).prefill(tokens);
        if (Kernels.support().nativeAvailable()) new InferenceSession(model.withKernels(Kernels.NATIVE), POOL, context).prefill(tokens);
        return true;
    }

    /**
     * The bytes in native memory, as a model file is (mapped): the native kernels take no heap
     * memory (they pass the weights to C as addresses).
     */
    private static MemorySegment offHeap(byte[] bytes, Arena arena) {
        return arena.allocate(Math.max(1, bytes.length), 64).copyFrom(MemorySegment.ofArray(bytes)).asSlice(0, bytes.length);
    }

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = GgufFuzzTest.class.getResourceAsStream("GgufFuzzTestInputs/readsAnyBytesOrNamesTheProblem/" + name)) {
            return in.readAllBytes();
        }
    }
}
