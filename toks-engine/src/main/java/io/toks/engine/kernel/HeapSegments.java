package io.toks.engine.kernel;

import java.lang.foreign.MemorySegment;

/**
 * Segments over the small arrays a native call is handed token after token (a session's
 * activations, a thread's scratch), made once and looked up by identity. A decode step of a tiny
 * model makes about sixty native calls of a few microseconds each, and until the JIT has
 * compiled the wrapping, making their segments anew each time is a good part of a token's cost
 * (docs/performance.md, "Cold decode: where a token goes").
 *
 * <p>Only arrays of at most {@link #MAX_CACHED_BYTES} are kept: a segment holds its array, so
 * the table retains what it caches (at most {@link #SLOTS} such arrays), and for larger arrays
 * the call's own work dwarfs making a segment. Entries are immutable records; threads may race
 * on the table and at worst make a segment twice.
 */
final class HeapSegments {

    static final int SLOTS = 16;
    static final int MAX_CACHED_BYTES = 64 * 1024;

    private record Entry(Object array, MemorySegment segment) {}

    private static final Entry[] TABLE = new Entry[SLOTS];
    private static int next;

    private HeapSegments() {}

    static MemorySegment of(float[] array) {
        MemorySegment cached = find(array);
        if (cached != null) return cached;
        MemorySegment made = MemorySegment.ofArray(array);
        if (4L * array.length <= MAX_CACHED_BYTES) keep(array, made);
        return made;
    }

    static MemorySegment of(byte[] array) {
        MemorySegment cached = find(array);
        if (cached != null) return cached;
        MemorySegment made = MemorySegment.ofArray(array);
        if (array.length <= MAX_CACHED_BYTES) keep(array, made);
        return made;
    }

    private static MemorySegment find(Object array) {
        Entry[] table = TABLE;
        for (int i = 0; i < SLOTS; i++) {
            Entry e = table[i];
            if (e != null && e.array == array) return e.segment;
        }
        return null;
    }

    private static void keep(Object array, MemorySegment segment) {
        int slot = next;
        next = (slot + 1) % SLOTS;
        TABLE[slot] = new Entry(array, segment);
    }
}
