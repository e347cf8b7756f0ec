package io.toks.tokenizer;

import java.util.Arrays;

/**
 * Byte strings to ranks, looked up by a slice of a byte array without making a key object: an
 * open-addressing table over one pool of bytes. Lookups are the inner loop of rank-based BPE.
 */
final class ByteRankTable {

    private final byte[] pool;
    private final int[] start;     // entry e spans pool[start[e], start[e + 1])
    private final int[] rank;
    private final int[] hash;
    private final int[] slots;     // entry index + 1; 0 = empty
    private final int mask;

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
            e++;
        }
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

    private static int hash(byte[] b, int offset, int length) {
        int h = length;
        for (int i = offset, end = offset + length; i < end; i++) h = 31 * h + b[i];
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }
}
