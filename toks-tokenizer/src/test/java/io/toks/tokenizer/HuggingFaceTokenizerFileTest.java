package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small tokenizer.json files: one that works end to end, and every kind of broken one giving a
 * clear error. (The full vocabularies are checked against llama.cpp's vectors in toks-engine.)
 */
class HuggingFaceTokenizerFileTest {

    @TempDir
    Path dir;

    /** A byte-level vocabulary: the 256 byte symbols, then merges' results. */
    private String byteLevel(String extraPre, String merges, String added) {
        StringBuilder vocab = new StringBuilder();
        int id = 0;
        for (int b = 0; b < 256; b++) {
            char c = byteChar(b);
            String s = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.valueOf(c);
            vocab.append(vocab.isEmpty() ? "" : ",").append('"').append(s).append("\":").append(id++);
        }
        vocab.append(",\"he\":256,\"ll\":257,\"hell\":258,\"hello\":259");
        return "{\"added_tokens\":[" + added + "],\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":[" + extraPre
                + "{\"type\":\"ByteLevel\",\"use_regex\":true}]},\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "},\"merges\":" + merges + "}}";
    }

    /** GPT-2's printable stand-in for a byte. */
    private static char byteChar(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return (char) b;
        int n = 0;
        for (int x = 0; x < b; x++) if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) n++;
        return (char) (256 + n);
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("tokenizer.json"), json);
    }

    @Test
    void aByteLevelBpeFileEncodesWithItsMergesAndAddedTokens() throws IOException {
        Tokenizer t = HuggingFaceTokenizerFile.read(write(byteLevel("", "[\"h e\",[\"l\",\"l\"],\"he ll\",\"hell o\"]",
                "{\"id\":260,\"content\":\"<|endoftext|>\",\"special\":true}")));
        assertThat(t.encode("hello", false, false)).containsExactly(259);
        assertThat(t.encode("hell", false, false)).containsExactly(258);
        assertThat(t.decode(t.encode("hello hi!", false, false))).isEqualTo("hello hi!");
        assertThat(t.eosId()).isEqualTo(260);
        assertThat(t.vocabularySize()).isEqualTo(261);
    }

    @Test
    void brokenFilesGiveClearErrors() throws IOException {
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{oops"))).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"version\":\"1.0\"}"))).hasMessageContaining("no \"model\" object");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"Unigram\",\"vocab\":[]}}")))
                .hasMessageContaining("model type 'Unigram' is not supported");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel("", "[\"h e\",[\"x\"]]", ""))))
                .hasMessageContaining("a merge is neither");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel("", "[]", "{\"id\":300,\"content\":\"<x>\"}"))))
                .hasMessageContaining("no token has id 260");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel("", "[]", "{\"id\":-4,\"content\":\"<x>\"}"))))
                .hasMessageContaining("invalid id");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel(
                "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(?<=x\"},\"behavior\":\"Isolated\"},", "[]", ""))))
                .hasMessageContaining("regex is not supported");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel(
                "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"x\"},\"behavior\":\"Removed\"},", "[]", ""))))
                .hasMessageContaining("behavior Removed is not supported");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\"}}"))).hasMessageContaining("only byte-level BPE");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
                + "\"vocab\":{\"a\":0}}}"))).hasMessageContaining("special token '[UNK]' is not in the vocabulary");
    }
}
