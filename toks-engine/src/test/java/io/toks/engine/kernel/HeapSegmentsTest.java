package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class HeapSegmentsTest {

    @Test
    void aSmallArrayIsWrappedOnceAndTheSegmentSeesItsValues() {
        float[] activations = new float[64];
        MemorySegment first = HeapSegments.of(activations);
        activations[3] = 2.5f;
        assertThat(HeapSegments.of(activations)).isSameAs(first);
        assertThat(first.byteSize()).isEqualTo(4L * 64);
        assertThat(first.getAtIndex(ValueLayout.JAVA_FLOAT, 3)).isEqualTo(2.5f);
    }

    @Test
    void arraysWithTheSameContentAreNotConfused() {
        float[] a = new float[8], b = new float[8];
        byte[] c = new byte[32];
        assertThat(HeapSegments.of(a)).isNotSameAs(HeapSegments.of(b));
        assertThat(HeapSegments.of(a).heapBase()).containsSame(a);
        assertThat(HeapSegments.of(b).heapBase()).containsSame(b);
        assertThat(HeapSegments.of(c).heapBase()).containsSame(c);
    }

    @Test
    void largeArraysAreNotRetained() {
        float[] large = new float[HeapSegments.MAX_CACHED_BYTES / 4 + 1];
        assertThat(HeapSegments.of(large)).isNotSameAs(HeapSegments.of(large));
        assertThat(HeapSegments.of(large).heapBase()).containsSame(large);
    }

    @Test
    void moreArraysThanSlotsStillGetTheirOwnSegments() {
        float[][] arrays = new float[HeapSegments.SLOTS * 3][4];
        for (int round = 0; round < 2; round++) {
            for (float[] a : arrays) assertThat(HeapSegments.of(a).heapBase()).containsSame(a);
        }
    }
}
