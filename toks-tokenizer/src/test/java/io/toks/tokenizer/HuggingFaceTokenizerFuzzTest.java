package io.toks.tokenizer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the tokenizer.json reader (BPE byte-level and SentencePiece-style,
 * WordPiece), then one encoding and decoding. Any outcome but a tokenizer or a named error (a
 * TokenizerFormatException) is a defect. In a normal build this runs the seeds in
 * HuggingFaceTokenizerFuzzTestInputs; {@code scripts/fuzz.sh HuggingFaceTokenizerFuzzTest MINUTES} fuzzes.
 */
class HuggingFaceTokenizerFuzzTest {

    private static final Path NAME = Path.of("fuzz-tokenizer.json");

    @FuzzTest(maxDuration = "60s")
    void readsAnyFileOrNamesTheProblem(byte[] json) {
        Tokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizerFile.read(json, NAME);
        } catch (TokenizerFormatException e) {
            return; // a named problem: what a user should see
        }
        TokenizerRoundTrip.exercise(tokenizer);
    }
}
