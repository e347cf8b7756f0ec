package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rank table read back from the cache answers as the one parsed; a stale or damaged file is never trusted. */
class RankTableCacheTest {

    /** All 256 bytes (ranks 0-255), then a few merges, with a gap at 300. */
    private static byte[] rankFile(String extra) {
        var sb = new StringBuilder();
        for (int b = 0; b < 256; b++) sb.append(Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
        String[] merges = {"he", "ll", "hello", " world", extra};
        for (int i = 0; i < merges.length; i++) {
            int rank = 256 + i + (i >= 3 ? 45 : 0);
            sb.append(Base64.getEncoder().encodeToString(merges[i].getBytes(StandardCharsets.UTF_8))).append(' ').append(rank).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertSameAnswers(ByteRankTable a, ByteRankTable b, String... probes) {
        assertThat(b.ranks()).isEqualTo(a.ranks());
        for (int r = -1; r <= a.ranks(); r++) assertThat(b.bytesOf(r)).as("rank %d", r).isEqualTo(a.bytesOf(r));
        for (String p : probes) {
            byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
            assertThat(b.get(bytes, 0, bytes.length)).as(p).isEqualTo(a.get(bytes, 0, bytes.length));
        }
    }

    @Test
    void theTableReadBackAnswersAsTheParsedOne(@TempDir Path dir) throws Exception {
        byte[] file = rankFile("abc");
        var parsed = new ByteRankTable(TiktokenTokenizer.readRanks(file, "test"));
        var first = RankTableCache.table("test", file, dir);
        assertThat(dir.resolve("test.ranks")).exists();
        Files.setLastModifiedTime(dir.resolve("test.ranks"), FileTime.fromMillis(0));
        var cached = RankTableCache.table("test", file, dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("test.ranks")).toMillis()).as("read, not written again").isZero();
        assertSameAnswers(parsed, first, "he", "hello", " world", "abc", "nope", "");
        assertSameAnswers(parsed, cached, "he", "hello", " world", "abc", "nope", "");
        assertThat(cached.bytesOf(300)).isNull(); // the gap
    }

    @Test
    void anotherRankFileIsNotAnsweredByTheOldTable(@TempDir Path dir) {
        RankTableCache.table("test", rankFile("abc"), dir);
        var other = RankTableCache.table("test", rankFile("xyz"), dir);
        byte[] xyz = "xyz".getBytes(StandardCharsets.UTF_8), abc = "abc".getBytes(StandardCharsets.UTF_8);
        assertThat(other.get(xyz, 0, 3)).isNotNegative();
        assertThat(other.get(abc, 0, 3)).isEqualTo(-1);
    }

    @Test
    void aDamagedOrCutFileIsMadeAgain(@TempDir Path dir) throws Exception {
        byte[] file = rankFile("abc");
        var parsed = new ByteRankTable(TiktokenTokenizer.readRanks(file, "test"));
        RankTableCache.table("test", file, dir);
        Path cache = dir.resolve("test.ranks");
        byte[] good = Files.readAllBytes(cache);
        for (int at : new int[] {3, 30, good.length / 2, good.length - 20, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x5a;
            Files.write(cache, bad);
            assertSameAnswers(parsed, RankTableCache.table("test", file, dir), "hello", "abc", "zz");
            assertThat(cache).hasBinaryContent(good); // written again
        }
        Files.write(cache, java.util.Arrays.copyOf(good, good.length / 3));
        assertSameAnswers(parsed, RankTableCache.table("test", file, dir), "hello", "abc");
    }

    @Test
    void tablesInconsistentUnderAValidChecksumAreRefused() {
        var table = new ByteRankTable(TiktokenTokenizer.readRanks(rankFile("abc"), "test"));
        assertThat(ByteRankTable.read(table.toBytes(7), 7)).isNotNull();
        assertThat(ByteRankTable.read(table.toBytes(7), 8)).as("another key").isNull();
        assertThat(ByteRankTable.read(new byte[3], 7)).isNull();
        assertThat(ByteRankTable.read(new byte[64], 7)).isNull();
    }

    @Test
    void aDirectoryThatCannotBeWrittenStillGivesTheTable(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("file-not-dir");
        Files.writeString(blocked, "x");
        var table = RankTableCache.table("test", rankFile("abc"), blocked.resolve("sub"));
        assertThat(table.get("hello".getBytes(StandardCharsets.UTF_8), 0, 5)).isEqualTo(258);
    }
}
