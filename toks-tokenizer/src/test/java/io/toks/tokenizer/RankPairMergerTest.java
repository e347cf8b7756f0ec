package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The heap merge for long pieces and the scan for short ones give the same ids, and tiktoken's. */
class RankPairMergerTest {

    /** Every byte a token of its own value's rank, then "aa" (256) and "aaaa" (257). */
    private static ByteRankTable aRuns() {
        byte[][] tokens = new byte[258][];
        for (int b = 0; b < 256; b++) tokens[b] = new byte[] {(byte) b};
        tokens[256] = "aa".getBytes(StandardCharsets.US_ASCII);
        tokens[257] = "aaaa".getBytes(StandardCharsets.US_ASCII);
        return new ByteRankTable(tokens);
    }

    /**
     * "aaaaa": both ways merge the leftmost of the equal-rank pairs first, [aa][a][a][a], then
     * [aa][aa][a], then [aaaa][a]; taking the rightmost would end in [a][aaaa].
     */
    @Test
    void equalRanksMergeLeftmostFirstBothWays() {
        var merger = new RankPairMerger(aRuns());
        byte[] text = "aaaaa".getBytes(StandardCharsets.US_ASCII);
        assertThat(ids(merger::mergeByScan, text)).containsExactly(257, 'a');
        assertThat(ids(merger::mergeWithHeap, text)).containsExactly(257, 'a');
        byte[] nine = "aaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        assertThat(ids(merger::mergeWithHeap, nine)).containsExactly(257, 257, 'a');
        assertThat(ids(merger::mergeByScan, nine)).containsExactly(257, 257, 'a');
    }

    @Test
    void aPieceOfOneByteOrNoneIsItself() {
        var merger = new RankPairMerger(aRuns());
        assertThat(ids(merger::mergeWithHeap, new byte[] {'x'})).containsExactly('x');
        assertThat(ids(merger::mergeWithHeap, new byte[0])).isEmpty();
        assertThat(ids(merger::mergeByScan, new byte[0])).isEmpty();
    }

    /** Random pieces from small alphabets (so that merges happen), of lengths on both sides of the switch. */
    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base"})
    void heapAndScanAgreeOnRandomPieces(String encoding) throws IOException {
        var merger = new RankPairMerger(table(encoding));
        var random = new Random(11);
        String[] alphabets = {"ab", "aeiou tnrs", "0123456789", " ", "\u4e2d\u6587\u5b57\u65e5\u672c\u8a9e", "\u00e9\u00e8a\u0301",
                "\ud83c\udf89\ud83d\ude00", "\u043f\u0440\u0438\u0432\u0435\u0442", "x\u0000\u00ff"};
        for (int round = 0; round < 400; round++) {
            String alphabet = alphabets[random.nextInt(alphabets.length)];
            int length = 1 + random.nextInt(round % 4 == 0 ? 2000 : 300);
            var piece = new StringBuilder();
            while (piece.length() < length) piece.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(
                    alphabet.codePointCount(0, alphabet.length())))));
            byte[] bytes = piece.toString().getBytes(StandardCharsets.UTF_8);
            int[] byScan = ids(merger::mergeByScan, bytes);
            assertThat(ids(merger::mergeWithHeap, bytes)).as(encoding + " piece of " + bytes.length + " bytes from '" + alphabet + "'")
                    .isEqualTo(byScan);
            assertThat(ids(merger::merge, bytes)).isEqualTo(byScan);
        }
    }

    /** Random bytes, not UTF-8: each byte is a token, most pairs are not. */
    @Test
    void heapAndScanAgreeOnRandomBytes() throws IOException {
        var merger = new RankPairMerger(table("cl100k_base"));
        var random = new Random(5);
        for (int round = 0; round < 100; round++) {
            byte[] bytes = new byte[1 + random.nextInt(1000)];
            random.nextBytes(bytes);
            assertThat(ids(merger::mergeWithHeap, bytes)).isEqualTo(ids(merger::mergeByScan, bytes));
        }
    }

    private interface Merge {
        void merge(byte[] bytes, int length, java.util.function.IntConsumer out);
    }

    /** The ids one way of merging gives; the buffer is longer than the piece, as the encoder's is. */
    private static int[] ids(Merge merge, byte[] piece) {
        byte[] buffer = Arrays.copyOf(piece, piece.length + 7);
        int[][] out = {new int[16]};
        int[] count = {0};
        merge.merge(buffer, piece.length, id -> {
            if (count[0] == out[0].length) out[0] = Arrays.copyOf(out[0], count[0] * 2);
            out[0][count[0]++] = id;
        });
        return Arrays.copyOf(out[0], count[0]);
    }

    private static ByteRankTable table(String encoding) throws IOException {
        try (InputStream in = RankPairMergerTest.class.getResourceAsStream("/com/knuddels/jtokkit/" + encoding + ".tiktoken")) {
            return new ByteRankTable(TiktokenTokenizer.readRanks(in, encoding));
        }
    }
}
