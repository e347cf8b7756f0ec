package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Llama2cTokenizerTest {

    static Path shared(String relative) {
        return Path.of(io.toks.core.SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath()).toString(), relative);
    }

    static SentencePieceBpeTokenizer tok512() throws IOException {
        return Llama2cTokenizerReader.read(ByteBuffer.wrap(Files.readAllBytes(shared("models/stories260K/tok512.bin"))), 512, "tok512.bin");
    }

    @Test
    void encodesThePromptOfTheGoldenTrace() throws IOException {
        // PROMPT_IDS of ../shared/models/stories260K/golden/greedy_once_upon_a_time.ids (llama2.c run.c)
        assertThat(tok512().encode("Once upon a time", true, false)).containsExactly(1, 403, 407, 261, 378);
        assertThat(tok512().encode("", true, false)).containsExactly(1);
        assertThat(tok512().encode("", true, true)).containsExactly(1, 2);
    }

    @Test
    void roundTripsTheTinyStoriesSampleAndNonAsciiText() throws IOException {
        var t = tok512();
        String text = Files.readString(shared("corpus/tinystories/tinystories_sample.txt"), StandardCharsets.UTF_8);
        for (String s : new String[] {text, "Führer — ½ 🦙 naïve\ttabs\n\nnewlines", "a"}) {
            int[] ids = t.encode(s, true, false);
            assertThat(t.decode(Arrays.copyOfRange(ids, 1, ids.length))).isEqualTo(s);
        }
    }

    @Test
    void unknownCharactersFallBackToByteTokens() throws IOException {
        int[] ids = tok512().encode("🦙", false, false);
        // dummy-prefix space, then the four UTF-8 bytes F0 9F A6 99 as <0xXX> tokens (id = byte + 3)
        assertThat(ids).endsWith(0xF0 + 3, 0x9F + 3, 0xA6 + 3, 0x99 + 3);
    }

    @Test
    void truncatedAndGarbageFilesAreNamed() throws IOException {
        byte[] all = Files.readAllBytes(shared("models/stories260K/tok512.bin"));
        assertThatThrownBy(() -> Llama2cTokenizerReader.read(ByteBuffer.wrap(Arrays.copyOf(all, 100)), 512, "cut.bin"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("cut.bin").hasMessageContaining("truncated");
        byte[] garbage = "hello world, not a tokenizer".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Llama2cTokenizerReader.read(ByteBuffer.wrap(garbage), 512, "junk.bin"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("junk.bin");
    }

    /** A vocabulary size (from a model header) that the file cannot hold is refused before tables of that size are made. */
    @Test
    void vocabularySizeBeyondTheFileIsRefused() throws IOException {
        byte[] all = Files.readAllBytes(shared("models/stories260K/tok512.bin"));
        assertThatThrownBy(() -> Llama2cTokenizerReader.read(ByteBuffer.wrap(all), 1 << 24, "tok512.bin"))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tok512.bin: " + all.length + " bytes cannot hold 16777216 tokens");
    }

    @Test
    void vocabularyArraysMustAgree() {
        assertThatThrownBy(() -> new Vocabulary(new String[] {"a", "b"}, new float[1], new TokenType[2], 0, 1, -1, true))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("disagree");
        assertThatThrownBy(() -> new Vocabulary(new String[] {"a"}, new float[1], new TokenType[] {TokenType.NORMAL}, 5, 0, -1, true))
                .hasMessageContaining("bos token id 5");
    }
}
