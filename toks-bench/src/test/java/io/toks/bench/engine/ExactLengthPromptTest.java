package io.toks.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.engine.ModelLoader;
import io.toks.tokenizer.Tokenizer;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExactLengthPromptTest {

    /** A SentencePiece tokenizer (stories260K's): its decoded text starts with the prefix space that re-encoding would double. */
    static final Tokenizer SPM = ModelLoader.loadEmbedded().tokenizer();

    static int[] encode(String text) {
        return SPM.encode(text, false, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 63, 127, 511, 4000})
    void theTextEncodesToExactlyTheTokensAsked(int tokens) {
        String text = ExactLengthPrompt.of(tokens, ExactLengthPromptTest::encode, SPM::decode, TextDensity.referenceText());
        assertThat(encode(text)).hasSize(tokens);
        assertThat(text).doesNotStartWith(" ");
    }

    @Test
    void noTokensIsTheEmptyText() {
        assertThat(ExactLengthPrompt.of(0, ExactLengthPromptTest::encode, SPM::decode, "anything")).isEmpty();
    }

    /** A source shorter than the prompt is repeated. */
    @Test
    void aShortSourceIsRepeated() {
        String text = ExactLengthPrompt.of(300, ExactLengthPromptTest::encode, SPM::decode, "Once upon a time there was a cat.");
        assertThat(encode(text)).hasSize(300);
        assertThat(text).contains("cat.\n\nOnce upon a time");
    }

    /** A tokenizer whose texts never encode back to the same count is refused in one line. */
    @Test
    void noExactCutIsOneLine() {
        java.util.function.Function<String, int[]> everyCharTwice = s -> IntStream.range(0, 2 * s.length()).toArray();
        java.util.function.Function<int[], String> oneCharPerToken = ids -> "x".repeat(ids.length);
        assertThatThrownBy(() -> ExactLengthPrompt.of(5, everyCharTwice, oneCharPerToken, "abc"))
                .isInstanceOf(ToksException.class).hasMessageStartingWith("cannot make a prompt of exactly 5 tokens");
    }
}
