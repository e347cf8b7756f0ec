package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written scanner must cut text exactly where the published regular expressions do. */
class Cl100kStyleSplitterTest {

    // As tiktoken publishes them (cl100k_base) and Qwen2's tokenizer.json states it.
    static final String CL100K = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Characters that meet every branch: letters of several scripts, numbers, marks, spaces, breaks, apostrophes. */
    private static final String ALPHABET = "aZé'sStTrReEvVmMlLdD 1234567890\t\r\n\u00a0\u2003\u3000.,!?\"'-/_()[]\u00bd\u2167\u0661\u4e2d\u6587\u0301\u200b\u00e9\u00df\ud83d\ude00\ud835\udc00\u0085\u2028";

    @Test
    void cl100kPiecesEqualTheRegexOnRandomText() {
        assertSameOnRandom(new Cl100kStyleSplitter(3), TextSplitter.regex(CL100K), 1);
    }

    @Test
    void qwen2PiecesEqualTheRegexOnRandomText() {
        assertSameOnRandom(new Cl100kStyleSplitter(1), TextSplitter.regex(QWEN2), 2);
    }

    @Test
    void piecesEqualTheRegexOnTheSharedCorpus() throws IOException {
        for (Path f : SharedCorpus.files()) {
            String text = Files.readString(f);
            if (text.length() > 400_000) text = text.substring(0, 400_000);
            assertThat(pieces(new Cl100kStyleSplitter(3), text)).as(f.toString()).isEqualTo(pieces(TextSplitter.regex(CL100K), text));
        }
    }

    @Test
    void knownCases() {
        var s = new Cl100kStyleSplitter(3);
        assertThat(strings(s, "I'm here  now\n\n  12345 'tis \"Hello\" ...\r\n"))
                .containsExactly("I", "'m", " here", " ", " now", "\n\n", " ", " ", "123", "45", " '", "tis", " \"", "Hello", "\"", " ...\r\n");
    }

    private static void assertSameOnRandom(TextSplitter fast, TextSplitter reference, long seed) {
        Random random = new Random(seed);
        int[] cps = ALPHABET.codePoints().toArray();
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(24);
            for (int i = 0; i < len; i++) sb.appendCodePoint(cps[random.nextInt(cps.length)]);
            String text = sb.toString();
            assertThat(pieces(fast, text)).as("pieces of %s", escape(text)).isEqualTo(pieces(reference, text));
        }
    }

    static List<Integer> pieces(TextSplitter splitter, String text) {
        List<Integer> ends = new ArrayList<>();
        splitter.split(text, (start, end) -> ends.add(end));
        return ends;
    }

    private static List<String> strings(TextSplitter splitter, String text) {
        List<String> out = new ArrayList<>();
        splitter.split(text, (start, end) -> out.add(text.substring(start, end)));
        return out;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.append('"').toString();
    }
}
