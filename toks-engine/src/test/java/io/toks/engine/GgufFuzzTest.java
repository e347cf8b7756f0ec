package io.toks.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.engine.model.LlamaConfig;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzzing of what reads a model file: the GGUF reader, the model assembly
 * (hyper-parameters, weights) and the tokenizer the file describes, then one encoding. Any
 * outcome but a model or a named error (a ToksException) is a defect. In a normal build this runs
 * the seeds in GgufFuzzTestInputs; {@code scripts/fuzz.sh GgufFuzzTest MINUTES} fuzzes.
 */
class GgufFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesOrNamesTheProblem(byte[] bytes) {
        try {
            GgufFile gguf = GgufReader.read(MemorySegment.ofArray(bytes), "fuzz.gguf");
            try {
                LlamaConfig config = GgufModelLoader.config(gguf);
                GgufModelLoader.weights(gguf, config);
            } catch (ToksException e) {
                // a named problem with the model: fine
            }
            GgufModelLoader.tokenizer(gguf).encode("Hello, world! 123", true, false);
        } catch (ToksException e) {
            // a named problem: what a user should see
        }
    }
}
