package io.toks.tokenizer;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Byte strings to ranks, looked up by a slice of a byte array without making a key object: an
 * open-addressing table over one pool of bytes. Lookups are the inner loop of rank-based BPE.
 * <p>
 * The table can be written out and read back as it is ({@link #write}, {@link #read}): a cold
 * JVM reads cl100k's table in a few bulk copies where parsing its rank file took most of a
 * {@code toks tokenize} (docs/performance.md, "Cold start").
 */
final class ByteRankTable {

    private static final int MAGIC = 0x746F6B52; // "tokR"
    private static final int FORMAT = 1;

    private final byte[] pool;
    private final int[] start;     // entry e spans pool[start[e], start[e + 1])
    private final int[] rank;
    private final int[] hash;
    private final int[] slots;     // entry index + 1; 0 = empty
    private final int mask;
    private final int[] entryOfRank; // -1 where no token has the rank

    /** @param tokens byte strings, tokens[r] has rank r; null entries are skipped; duplicates are an error */
    ByteRankTable(byte[][] tokens) {
        int count = 0;
        long bytes = 0;
        for (byte[] t : tokens) {
            if (t != null) {
                count++;
                bytes += t.length;
            }
        }
        if (bytes > Integer.MAX_VALUE) throw new TokenizerFormatException("rank table too large");
        pool = new byte[(int) bytes];
        start = new int[count + 1];
        rank = new int[count];
        hash = new int[count];
        int capacity = Integer.highestOneBit(Math.max(4, count) * 2) * 2;
        slots = new int[capacity];
        mask = capacity - 1;
        entryOfRank = new int[tokens.length];
        Arrays.fill(entryOfRank, -1);
        int e = 0, at = 0;
        for (int r = 0; r < tokens.length; r++) {
            byte[] t = tokens[r];
            if (t == null) continue;
            System.arraycopy(t, 0, pool, at, t.length);
            start[e] = at;
            at += t.length;
            start[e + 1] = at;
            rank[e] = r;
            hash[e] = hash(t, 0, t.length);
            if (get(t, 0, t.length) >= 0) throw new TokenizerFormatException("token of rank " + r + " repeats an earlier token");
            int slot = hash[e] & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = e + 1;
            entryOfRank[r] = e;
            e++;
        }
    }

    private ByteRankTable(byte[] pool, int[] start, int[] rank, int[] hash, int[] slots, int ranks) {
        this.pool = pool;
        this.start = start;
        this.rank = rank;
        this.hash = hash;
        this.slots = slots;
        this.mask = slots.length - 1;
        this.entryOfRank = new int[ranks];
        Arrays.fill(entryOfRank, -1);
        for (int e = 0; e < rank.length; e++) entryOfRank[rank[e]] = e;
    }

    /** The rank of bytes[offset, offset + length), or -1 when it is not a token. */
    int get(byte[] bytes, int offset, int length) {
        int h = hash(bytes, offset, length);
        int slot = h & mask;
        int e;
        while ((e = slots[slot] - 1) >= 0) {
            int s = start[e];
            if (hash[e] == h && start[e + 1] - s == length
                    && Arrays.equals(pool, s, s + length, bytes, offset, offset + length)) {
                return rank[e];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** One more than the highest rank. */
    int ranks() {
        return entryOfRank.length;
    }

    /** The bytes of the token of rank r (a copy), or null when no token has it. */
    byte[] bytesOf(int r) {
        int e = r >= 0 && r < entryOfRank.length ? entryOfRank[r] : -1;
        return e < 0 ? null : Arrays.copyOfRange(pool, start[e], start[e + 1]);
    }

    private static int hash(byte[] b, int offset, int length) {
        int h = length;
        for (int i = offset, end = offset + length; i < end; i++) h = 31 * h + b[i];
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    /**
     * The table as bytes, with {@code key} (what it was made from) for {@link #read} to check,
     * and a CRC-32 of the rest at the end.
     */
    byte[] toBytes(long key) {
        var bytes = new java.io.ByteArrayOutputStream(pool.length + 16 * rank.length + 4 * slots.length + 64);
        try (var out = new DataOutputStream(bytes)) {
            write(out, key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not from memory
        }
        byte[] body = bytes.toByteArray();
        var crc = new java.util.zip.CRC32();
        crc.update(body);
        return ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
    }

    private void write(DataOutputStream out, long key) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(key);
        out.writeInt(entryOfRank.length);
        out.writeInt(rank.length);
        out.writeInt(pool.length);
        out.writeInt(slots.length);
        out.write(pool);
        var ints = ByteBuffer.allocate(4 * (start.length + rank.length + hash.length + slots.length)).order(ByteOrder.BIG_ENDIAN);
        ints.asIntBuffer().put(start).put(rank).put(hash).put(slots);
        out.write(ints.array());
    }

    /**
     * A table {@link #write} wrote with this {@code key}; null when the bytes are not one (another
     * key or format, cut short, or inconsistent: every index is checked, so a damaged file is
     * never trusted, only made again).
     */
    static ByteRankTable read(byte[] bytes, long key) {
        if (bytes.length < 8) return null;
        var crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) return null;
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 8).order(ByteOrder.BIG_ENDIAN);
            if (in.getInt() != MAGIC || in.getInt() != FORMAT || in.getLong() != key) return null;
            int ranks = in.getInt(), count = in.getInt(), poolBytes = in.getInt(), capacity = in.getInt();
            if (ranks < 0 || count < 0 || count > ranks || poolBytes < 0 || capacity < 4 || Integer.bitCount(capacity) != 1
                    || capacity <= count || in.remaining() != poolBytes + 4L * ((count + 1) + 2L * count + capacity)) {
                return null;
            }
            byte[] pool = new byte[poolBytes];
            in.get(pool);
            int[] start = new int[count + 1], rank = new int[count], hash = new int[count], slots = new int[capacity];
            var ints = in.asIntBuffer();
            ints.get(start).get(rank).get(hash).get(slots);
            if (start[0] != 0 || start[count] != poolBytes) return null;
            for (int e = 0; e < count; e++) {
                if (start[e + 1] < start[e] || rank[e] < 0 || rank[e] >= ranks) return null;
            }
            int empty = 0;
            for (int s : slots) {
                if (s < 0 || s > count) return null;
                if (s == 0) empty++;
            }
            if (empty == 0) return null; // a full table: a lookup of a missing token would never end
            var table = new ByteRankTable(pool, start, rank, hash, slots, ranks);
            for (int e = 0; e < count; e++) {
                if (table.entryOfRank[rank[e]] != e) return null; // two entries of one rank
            }
            return table;
        } catch (RuntimeException e) { // cut short (BufferUnderflowException) or sizes beyond memory
            return null;
        }
    }
}
