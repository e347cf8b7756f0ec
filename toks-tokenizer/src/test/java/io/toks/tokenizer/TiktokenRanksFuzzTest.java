package io.toks.tokenizer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the tiktoken rank-file reader and the rank table built from it,
 * then one encoding and decoding. Any outcome but a tokenizer or a named error (a
 * TokenizerFormatException) is a defect. In a normal build this runs the seeds in
 * TiktokenRanksFuzzTestInputs; {@code scripts/fuzz.sh TiktokenRanksFuzzTest MINUTES} fuzzes.
 */
class TiktokenRanksFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void readsAnyRankFileOrNamesTheProblem(byte[] ranks) throws IOException {
        Tokenizer tokenizer;
        try {
            tokenizer = TiktokenTokenizer.withRanks("r50k_base", new ByteArrayInputStream(ranks));
        } catch (TokenizerFormatException e) {
            return; // a named problem
        }
        TokenizerRoundTrip.exercise(tokenizer);
    }
}
