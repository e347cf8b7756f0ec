package io.toks.tokenizer;

import io.toks.core.UserCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The rank tables of the named tiktoken encodings, kept in the user's cache once made: parsing
 * cl100k's 100,000 base64 lines and hashing them into a table is most of what a cold
 * {@code toks tokenize} did; reading the table back is a few bulk copies (docs/performance.md,
 * "Cold start"). A table is keyed by the rank file it was made from (length and CRC-32), so a
 * new file is never answered by an old table, and one that does not read back whole and
 * consistent is made again.
 */
final class RankTableCache {

    private RankTableCache() {}

    /** The table of {@code rankFile} (encoding {@code encoding}), from {@code dir} when it holds it, else parsed and stored there. */
    static ByteRankTable table(String encoding, byte[] rankFile, Path dir) {
        var crc = new CRC32();
        crc.update(rankFile);
        long key = (long) rankFile.length << 32 ^ crc.getValue();
        Path file = dir.resolve(encoding + ".ranks");
        try {
            ByteRankTable cached = ByteRankTable.read(Files.readAllBytes(file), key);
            if (cached != null) return cached;
        } catch (IOException | SecurityException | OutOfMemoryError e) {
            // none yet, or unreadable: made below
        }
        ByteRankTable table = new ByteRankTable(TiktokenTokenizer.readRanks(rankFile, encoding));
        store(table.toBytes(key), file);
        return table;
    }

    /** A cache that cannot be written costs the next run the parse, nothing else. */
    private static void store(byte[] bytes, Path file) {
        try {
            UserCache.store(file, bytes);
        } catch (IOException | SecurityException e) {
            // not stored: made again next time
        }
    }
}
