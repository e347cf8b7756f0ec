package io.toks.tokenizer;

import java.util.function.IntConsumer;

/**
 * tiktoken's byte-pair merge of one piece: the piece's bytes start as one part each, and the
 * adjacent pair whose joined bytes have the lowest rank is merged (the leftmost among equal
 * ranks), again and again, until no joined pair is a token; each part's rank is then a token id.
 * <p>
 * Two ways to the same result. A piece of a few bytes, as nearly all are, is merged by scanning
 * an array of pair ranks for the lowest, which is quadratic but beats any heap at that size. A
 * long piece (a run of one letter, of spaces, of CJK characters: the pre-tokenizers make no cut
 * in those) is merged with a linked list of parts and a min-heap of pair ranks, O(n log n).
 * <p>
 * Holds buffers: one per thread.
 */
final class RankPairMerger {

    /** Pieces of more bytes than this go to the heap; below it the scan is as fast or faster (docs/performance.md, "Tokenizers: long pieces"). */
    static final int HEAP_ABOVE = 128;

    private final ByteRankTable ranks;
    // The scan's state: part p spans bytes [partStart[p], partStart[p + 1]); pairRank[p] ranks parts p and p+1 joined.
    private int[] partStart = new int[65];
    private int[] pairRank = new int[64];
    // The heap's state, indexed by a part's first byte: the next and previous part's first byte,
    // and the rank of the part joined with the next one (NONE when not a token, DEAD when the
    // byte no longer starts a part).
    private int[] nextPart = new int[0];
    private int[] previousPart = new int[0];
    private int[] joinedRank = new int[0];
    private final LongMinHeap heap = new LongMinHeap();

    private static final int NONE = Integer.MAX_VALUE;
    private static final int DEAD = -1;

    RankPairMerger(ByteRankTable ranks) {
        this.ranks = ranks;
    }

    /** Merges {@code bytes[0, length)} and hands each resulting token id to {@code out}, in order. */
    void merge(byte[] bytes, int length, IntConsumer out) {
        if (length > HEAP_ABOVE) {
            mergeWithHeap(bytes, length, out);
        } else {
            mergeByScan(bytes, length, out);
        }
    }

    /** The quadratic merge: a linear scan for the lowest pair rank, parts kept in arrays. */
    void mergeByScan(byte[] bytes, int length, IntConsumer out) {
        if (partStart.length < length + 1) {
            partStart = new int[length + 1];
            pairRank = new int[length];
        }
        int boundaries = length + 1;
        for (int i = 0; i < boundaries; i++) partStart[i] = i;
        for (int p = 0; p + 2 < boundaries; p++) pairRank[p] = rankOrNone(bytes, partStart[p], partStart[p + 2]);
        while (boundaries > 2) {
            int best = -1, bestRank = NONE;
            for (int p = 0; p + 2 < boundaries; p++) {
                if (pairRank[p] < bestRank) {
                    bestRank = pairRank[p];
                    best = p;
                }
            }
            if (best < 0) break;
            System.arraycopy(partStart, best + 2, partStart, best + 1, boundaries - best - 2);
            System.arraycopy(pairRank, best + 2, pairRank, best + 1, Math.max(0, boundaries - best - 4));
            boundaries--;
            if (best + 2 < boundaries) pairRank[best] = rankOrNone(bytes, partStart[best], partStart[best + 2]);
            if (best > 0) pairRank[best - 1] = rankOrNone(bytes, partStart[best - 1], partStart[best + 1]);
        }
        for (int p = 0; p + 1 < boundaries; p++) out.accept(ranks.get(bytes, partStart[p], partStart[p + 1] - partStart[p]));
    }

    /**
     * The O(n log n) merge. The heap holds (rank, first byte of the left part) pairs, so it pops
     * the lowest rank and, among equal ranks, the leftmost pair, as the scan picks. A merge makes
     * the entries of the pairs it touched stale; they are not removed but skipped when popped,
     * found out by a rank that no longer matches {@link #joinedRank}. An entry whose rank does
     * match is current even if pushed for an earlier pair: a rank names one byte string, so the
     * pair it names is the same.
     */
    void mergeWithHeap(byte[] bytes, int length, IntConsumer out) {
        if (nextPart.length < length) {
            nextPart = new int[length];
            previousPart = new int[length];
            joinedRank = new int[length];
        }
        heap.clear();
        for (int i = 0; i < length; i++) {
            nextPart[i] = i + 1;
            previousPart[i] = i - 1;
            joinedRank[i] = i + 1 < length ? rankOrNone(bytes, i, i + 2) : NONE;
            if (joinedRank[i] != NONE) heap.push(entry(joinedRank[i], i));
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int left = (int) top, rank = (int) (top >>> 32);
            if (joinedRank[left] != rank) continue; // stale
            int right = nextPart[left];
            int after = nextPart[right];
            nextPart[left] = after;
            if (after < length) previousPart[after] = left;
            joinedRank[right] = DEAD;
            joinedRank[left] = after < length ? rankOrNone(bytes, left, nextPart[after]) : NONE;
            if (joinedRank[left] != NONE) heap.push(entry(joinedRank[left], left));
            int before = previousPart[left];
            if (before >= 0) {
                joinedRank[before] = rankOrNone(bytes, before, after);
                if (joinedRank[before] != NONE) heap.push(entry(joinedRank[before], before));
            }
        }
        for (int p = 0; p < length; p = nextPart[p]) out.accept(ranks.get(bytes, p, nextPart[p] - p));
    }

    private static long entry(int rank, int left) {
        return (long) rank << 32 | left;
    }

    private int rankOrNone(byte[] bytes, int from, int to) {
        int r = ranks.get(bytes, from, to - from);
        return r < 0 ? NONE : r;
    }

    /** A binary min-heap of longs in one array, growing as needed; no boxing. */
    private static final class LongMinHeap {
        private long[] items = new long[64];
        private int size;

        void clear() {
            size = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long item) {
            if (size == items.length) items = java.util.Arrays.copyOf(items, size * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= item) break;
                items[i] = items[parent];
                i = parent;
            }
            items[i] = item;
        }

        long pop() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) break;
                if (child + 1 < size && items[child + 1] < items[child]) child++;
                if (items[child] >= last) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
