package io.toks.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.toks.engine.format.ModelFormatException;
import io.toks.engine.llama2c.Llama2cModelReader;
import java.lang.foreign.MemorySegment;

/**
 * Coverage-guided fuzzing of the llama2.c checkpoint reader: any bytes are a checkpoint whose
 * weights all lie inside the file, or a named error (a ModelFormatException), never an
 * allocation the header asks for but the file cannot back. In a normal build this runs the seeds
 * in Llama2cModelFuzzTestInputs; {@code scripts/fuzz.sh Llama2cModelFuzzTest MINUTES} fuzzes.
 */
class Llama2cModelFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesOrNamesTheProblem(byte[] bytes) {
        Llama2cModelReader.Checkpoint checkpoint;
        try {
            checkpoint = Llama2cModelReader.read(MemorySegment.ofArray(bytes), "fuzz.bin");
        } catch (ModelFormatException e) {
            return; // a named problem: what a user should see
        }
        var c = checkpoint.config();
        var w = checkpoint.weights();
        // The last row of the classifier is the last thing read: reading it proves the weights are backed by the file.
        w.classifier().copyRow(c.vocabSize() - 1, new float[c.dim()]);
    }
}
