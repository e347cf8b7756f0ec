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

    /** Found by HuggingFaceTokenizerFuzzTest: with no begin/end token in the file, asking for them gave id -1. */
    @Test
    void noBeginOrEndTokenAddsNone() throws IOException {
        Tokenizer t = HuggingFaceTokenizerFile.read(write(byteLevel("", "[\"h e\",[\"l\",\"l\"],\"he ll\",\"hell o\"]", "")));
        assertThat(t.bosId()).isEqualTo(-1);
        assertThat(t.encode("hello", true, true)).containsExactly(259);
    }

    /** A SentencePiece-style file: U+2581 for spaces (with a prepended one), merges by rank, byte fallback for the rest. */
    /** An id far beyond the file's size is refused before a table that large is made; so are repeated ids. */
    @Test
    void idsAreBoundByTheNumberOfTokens() throws IOException {
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel("", "[]", "{\"id\":50000000,\"content\":\"<x>\"}"))))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("token '<x>' has id 50000000 but the file has 261 tokens (ids must be 0..260)");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"a\":1,\"b\":1}}}")))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("tokens 'a' and 'b' both have id 1");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"a\":-1}}}")))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("token 'a' has an invalid id -1");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"[UNK]\":0,\"a\":1.5}}}")))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("token 'a' has an invalid id 1.5");
    }

    @Test
    void aSentencePieceStyleFileMergesByRankAndFallsBackToBytes() throws IOException {
        StringBuilder vocab = new StringBuilder("\"<unk>\":0,\"<s>\":1,\"</s>\":2");
        for (int b = 0; b < 256; b++) vocab.append(String.format(",\"<0x%02X>\":%d", b, 3 + b));
        vocab.append(",\"\u2581\":259,\"h\":260,\"i\":261,\"\u2581h\":262,\"\u2581hi\":263,\"hi\":264");
        String json = "{\"added_tokens\":[{\"id\":0,\"content\":\"<unk>\",\"special\":true},{\"id\":1,\"content\":\"<s>\",\"special\":true},"
                + "{\"id\":2,\"content\":\"</s>\",\"special\":true}],"
                + "\"normalizer\":{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\"\u2581\"},"
                + "{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\u2581\"}]},\"pre_tokenizer\":null,"
                + "\"model\":{\"type\":\"BPE\",\"unk_token\":\"<unk>\",\"byte_fallback\":true,\"vocab\":{" + vocab + "},"
                + "\"merges\":[\"\u2581 h\",\"\u2581h i\",\"h i\"]}}";
        Tokenizer t = HuggingFaceTokenizerFile.read(write(json));
        assertThat(t.encode("hi hi", true, false)).containsExactly(1, 263, 263); // "▁hi▁hi": ▁+h first (rank 0), then ▁h+i
        assertThat(t.encode("hi!", false, false)).containsExactly(263, 3 + '!'); // '!' is not a piece: its byte
        assertThat(t.decode(t.encode("hi hi!", true, false))).isEqualTo("hi hi!");
        assertThat(t.bosId()).isEqualTo(1);
        assertThat(t.eosId()).isEqualTo(2);
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
                .hasMessageContaining("token '<x>' has id 300 but the file has 261 tokens");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel("", "[]", "{\"id\":-4,\"content\":\"<x>\"}"))))
                .hasMessageContaining("invalid id");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel(
                "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(?<=x\"},\"behavior\":\"Isolated\"},", "[]", ""))))
                .hasMessageContaining("regex is not supported");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write(byteLevel(
                "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"x\"},\"behavior\":\"Removed\"},", "[]", ""))))
                .hasMessageContaining("behavior Removed is not supported");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\"}}"))).hasMessageContaining("no begin/end-of-sequence token");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\",\"split\":true}}"))).hasMessageContaining("Metaspace with split=true");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]}}")))
                .hasMessageContaining("without a ByteLevel pre-tokenizer");
        assertThatThrownBy(() -> HuggingFaceTokenizerFile.read(write("{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
                + "\"vocab\":{\"a\":0}}}"))).hasMessageContaining("special token '[UNK]' is not in the vocabulary");
    }
}
