package io.toks.tokenizer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the llama2.c tokenizer reader ({@code tok*.bin}), on its own and with
 * a vocabulary size from a model header, then one encoding and decoding. Any outcome but a
 * tokenizer or a named error (a TokenizerFormatException) is a defect. In a normal build this
 * runs the seeds in Llama2cTokenizerFuzzTestInputs; {@code scripts/fuzz.sh Llama2cTokenizerFuzzTest MINUTES} fuzzes.
 */
class Llama2cTokenizerFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyFileOrNamesTheProblem(byte[] file) {
        Tokenizer tokenizer;
        try {
            tokenizer = Llama2cTokenizerReader.readAll(ByteBuffer.wrap(file), "fuzz.bin");
        } catch (TokenizerFormatException e) {
            return; // a named problem
        }
        TokenizerRoundTrip.exercise(tokenizer);
        try {
            // A model header's count that the file may not hold: from the last byte, up to 2^24 as a header allows.
            int fromHeader = file.length == 0 ? 3 : 1 << (file[file.length - 1] & 0x1F) % 25;
            Llama2cTokenizerReader.read(ByteBuffer.wrap(file), fromHeader, "fuzz.bin");
        } catch (TokenizerFormatException e) {
            // named
        }
    }
}
