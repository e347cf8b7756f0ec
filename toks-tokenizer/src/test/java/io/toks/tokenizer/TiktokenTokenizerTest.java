package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** toks's own tiktoken encodings give JTokkit's ids (the reference) on the shared corpus and on hard cases. */
class TiktokenTokenizerTest {

    private static final List<String> HARD = List.of("", "hello world", "I'm  you'LL 'tis ''", "  \n\n \t  x", "12345678 1/2 \u00bd \u2167",
            "na\u00efve caf\u00e9 \u4e2d\u6587\u5b57 \ud83d\ude00\ud83d\ude00 \u0661\u0662\u0663", "<|endoftext|> is text here",
            "a".repeat(3000), " ".repeat(500) + "x", "\u200b\u00a0\u3000\u2028end", "e\u0301\u0301\u0301 Hello!!!???\r\n\r\n",
            "def f(x):\n    return x**2  # comment\n");

    @ParameterizedTest
    @ValueSource(strings = {"cl100k", "o200k", "p50k", "r50k"})
    void idsEqualJTokkitOnHardCases(String name) {
        var own = TiktokenTokenizer.named(name);
        var reference = JTokkitTokenizer.named(name);
        for (String text : HARD) {
            int[] ids = own.encode(text, false, false);
            assertThat(ids).as(name + ": " + text).isEqualTo(reference.encode(text, false, false));
            assertThat(own.decode(ids)).isEqualTo(text);
        }
    }

    /**
     * Runs that no pre-tokenizer cuts (one letter, spaces, CJK, emoji; digits under p50k and r50k)
     * are single long pieces: the merge of those goes by the heap, and must still give tiktoken's ids.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cl100k", "o200k", "p50k", "r50k"})
    void idsEqualJTokkitOnLongUniformRuns(String name) {
        var own = TiktokenTokenizer.named(name);
        var reference = JTokkitTokenizer.named(name);
        var random = new java.util.Random(3);
        String[] units = {"a", "Z", " ", "7", "\u4e2d", "\ud83c\udf89", "ab", "\u00e9"};
        for (String unit : units) {
            for (int length : new int[] {129, 1000, 4097, 20000}) {
                String run = unit.repeat(length / unit.length());
                assertThat(own.encode(run, false, false)).as(name + ": '" + unit + "' x " + length)
                        .isEqualTo(reference.encode(run, false, false));
            }
        }
        var letters = new StringBuilder(); // one long piece of mixed letters: many pairs of equal rank
        for (int i = 0; i < 6000; i++) letters.append("abcdeijklmnop\u00e9\u4e2d\u6587".charAt(random.nextInt(16)));
        assertThat(own.encode(letters.toString(), false, false)).isEqualTo(reference.encode(letters.toString(), false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k", "o200k"})
    void idsEqualJTokkitOnTheSharedCorpus(String name) throws IOException {
        var own = TiktokenTokenizer.named(name);
        var reference = JTokkitTokenizer.named(name);
        for (Path f : SharedCorpus.files()) {
            String text = Files.readString(f);
            int[] ids = own.encode(text, false, false);
            assertThat(ids).as(f.toString()).isEqualTo(reference.encode(text, false, false));
            assertThat(own.decode(ids)).isEqualTo(text);
        }
    }

    @Test
    void specialTokensAreTextWhenEncodedAndTheirTextWhenDecoded() {
        var cl100k = TiktokenTokenizer.named("cl100k");
        assertThat(cl100k.encode("<|endoftext|>", false, false)).hasSizeGreaterThan(1);
        assertThat(new String(cl100k.decode(-1, 100257), StandardCharsets.UTF_8)).isEqualTo("<|endoftext|>");
        assertThat(cl100k.vocabularySize()).isEqualTo(100277);
        assertThatThrownBy(() -> cl100k.decode(-1, 100256)).hasMessageContaining("not in cl100k_base");
        assertThatThrownBy(() -> cl100k.encode("x", true, false)).hasMessageContaining("no begin/end");
        assertThat(TiktokenTokenizer.named("nope")).isNull();
    }

    @Test
    void malformedRankFilesAreNamedErrors() {
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream("IQ== 0\nnot-base64! 1\n"), "f.tiktoken"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("f.tiktoken line 2");
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream("IQ== 0\nIg== 0\n"), "f.tiktoken"))
                .hasMessageContaining("rank 0 given twice");
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream("IQ==\n"), "f.tiktoken")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream(""), "f.tiktoken")).hasMessageContaining("no ranks");
    }

    @Test
    void theByteParserReadsCl100kAsLinesBase64AndParseIntDo() throws Exception {
        byte[] file;
        try (var in = TiktokenTokenizer.class.getResourceAsStream("/com/knuddels/jtokkit/cl100k_base.tiktoken")) {
            file = in.readAllBytes();
        }
        java.util.List<byte[]> reference = new java.util.ArrayList<>();
        for (String line : new String(file, java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
            if (line.isEmpty()) continue;
            String[] parts = line.split(" ");
            int rank = Integer.parseInt(parts[1]);
            while (reference.size() <= rank) reference.add(null);
            reference.set(rank, java.util.Base64.getDecoder().decode(parts[0]));
        }
        byte[][] parsed = TiktokenTokenizer.readRanks(new ByteArrayInputStream(file), "cl100k");
        assertThat(parsed.length).isEqualTo(reference.size());
        for (int i = 0; i < parsed.length; i++) assertThat(parsed[i]).as("rank " + i).isEqualTo(reference.get(i));
    }

    @Test
    void base64DecodingAgreesWithTheJdkPaddedOrNot() {
        var random = new java.util.Random(7);
        for (int length = 0; length < 40; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            for (byte[] text : new byte[][] {java.util.Base64.getEncoder().encode(bytes),
                    java.util.Base64.getEncoder().withoutPadding().encode(bytes)}) {
                assertThat(TiktokenTokenizer.decodeBase64(text, 0, text.length)).as(new String(text)).isEqualTo(bytes);
            }
        }
        for (String bad : new String[] {"I", "IQ=", "I=Q=", "IQ==x", "!!!!", "IQ\u00e9="}) {
            byte[] text = bad.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(TiktokenTokenizer.decodeBase64(text, 0, text.length)).as(bad).isNull();
        }
    }

    /** A rank far beyond the file's size is refused before a table that large is made. */
    @Test
    void ranksAreBoundByTheNumberOfTokens() throws IOException {
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream("IQ== 0\nIg== 10000000\n"), "f.tiktoken"))
                .isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("f.tiktoken line 2: rank 10000000 is out of range for a file of 2 tokens");
        assertThatThrownBy(() -> TiktokenTokenizer.readRanks(stream("IQ== -3\n"), "f.tiktoken"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("line 1").hasMessageContaining("negative rank");
        assertThat(TiktokenTokenizer.readRanks(stream("IQ== 0\nIg== 3\n"), "f.tiktoken").length).isEqualTo(4); // gaps allowed
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }
}
