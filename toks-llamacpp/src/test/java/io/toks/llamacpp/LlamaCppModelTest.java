package io.toks.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaCppModelTest {

    private static LlamaCppModel model;

    @BeforeAll
    static void load() {
        model = LlamaCppModel.open(Models.stories260K(), 1, 128);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void textRoundTripsThroughItsTokenizer() {
        int[] tokens = model.encode("Once upon a time");
        assertThat(tokens).hasSize(4).doesNotContain(1); // no BOS added
        assertThat(model.decode(tokens)).isEqualTo(" Once upon a time"); // SentencePiece's leading space
    }

    /** Greedy is deterministic: the same prompt gives the same text, one output per token, in time order. */
    @Test
    void greedyCompletionsStreamOneOutputPerToken() {
        Completion a = model.complete("Once upon a time", 16, true, Clock.SYSTEM);
        Completion b = model.complete("Once upon a time", 16, true, Clock.SYSTEM);
        assertThat(a.text()).isEqualTo(b.text()).startsWith(", there was a little girl");
        assertThat(a.outputs()).isEqualTo(16);
        long[] at = a.tokenOutputsAt();
        assertThat(at[0]).isGreaterThan(a.requestedAt()).isEqualTo(a.firstArrivalAt());
        for (int i = 1; i < at.length; i++) assertThat(at[i]).isGreaterThanOrEqualTo(at[i - 1]);
        assertThat(a.finishedAt()).isGreaterThanOrEqualTo(at[at.length - 1]);
    }

    /**
     * stories260K's byte tokens <0x80> to <0xFF> (ids 131 to 258, after <unk>, <s>, </s> and the
     * 128 ASCII bytes) are parts of UTF-8 characters; every other token's text is whole.
     */
    @Test
    void partialCharacterTokensAreTheHighByteTokens() {
        assertThat(model.partialCharacterTokens(512)).isEqualTo(java.util.stream.IntStream.rangeClosed(131, 258).boxed().toList());
    }

    /** A banned token is never generated: without the comma greedy's story goes on differently. */
    @Test
    void bannedTokensAreNeverGenerated() {
        assertThat(model.complete("Once upon a time", 4, true, Clock.SYSTEM).text()).startsWith(",");
        var commas = java.util.stream.IntStream.range(0, 512).filter(id -> model.decode(new int[] {id}).strip().equals(",")).boxed().toList();
        assertThat(commas).isNotEmpty();
        assertThat(model.complete("Once upon a time", 4, true, commas, Clock.SYSTEM).text()).doesNotStartWith(",").doesNotContain(",");
    }

    /** An empty prompt is BOS alone for a model that adds BOS; ignoring EOS gives exactly the tokens asked for. */
    @Test
    void anEmptyPromptStartsAtBos() {
        Completion c = model.complete("", 40, true, Clock.SYSTEM);
        assertThat(c.outputs()).isEqualTo(40);
        assertThat(c.text()).isNotBlank();
    }

    /** llama.cpp's reason (which it writes to the process's standard error) comes in the one line, and nowhere else. */
    @Test
    void aFileLlamaCppRefusesIsOneLineWithItsReason(@TempDir Path dir) throws IOException {
        Path notAModel = Files.writeString(dir.resolve("notes.gguf"), "these are not weights\n".repeat(10));
        assertThatThrownBy(() -> LlamaCppModel.open(notAModel, 1, 64)).isInstanceOf(ToksException.class)
                .hasMessageStartingWith("llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI)")
                .hasMessageContaining("could not load " + notAModel + ": gguf_init_from_file_impl: invalid magic characters: 'thes'")
                .hasMessageNotContaining("\n");
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(Models.stories260K()), 4096);
        Path cut = Files.write(dir.resolve("cut.gguf"), truncated);
        assertThatThrownBy(() -> LlamaCppModel.open(cut, 1, 64)).isInstanceOf(ToksException.class)
                .hasMessageContaining("could not load " + cut + ": ").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> LlamaCppModel.open(dir.resolve("missing.gguf"), 1, 64))
                .isInstanceOf(ToksException.class).hasMessage("model file not found: " + dir.resolve("missing.gguf"));
        // still usable after refusing files
        assertThat(model.complete("Once", 2, true, Clock.SYSTEM).outputs()).isEqualTo(2);
    }

    @Test
    void theReasonIsTheCauseNotTheFinalFailure() {
        var failure = new RuntimeException("could not load model from given file path");
        assertThat(LlamaCppModel.reason("llama_model_load: error loading model: unknown model architecture: 'foo'\n"
                + "llama_model_load_from_file_impl: failed to load model\n", failure))
                .isEqualTo("llama_model_load: error loading model: unknown model architecture: 'foo'");
        assertThat(LlamaCppModel.reason("", failure)).isEqualTo("could not load model from given file path");
    }

    @Test
    void aClosedModelRefusesRequests() {
        var other = LlamaCppModel.open(Models.stories260K(), 1, 64);
        other.close();
        other.close(); // twice is harmless
        assertThatThrownBy(() -> other.complete("x", 1, true, Clock.SYSTEM)).isInstanceOf(IllegalStateException.class);
    }
}
