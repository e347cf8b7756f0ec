package io.toks.core.meter;

import java.util.Arrays;

/** Per-call (or per-step) values in arrival order, in a growable primitive array. Not thread-safe: its owner locks. */
final class SampleBuffer {

    private double[] values = new double[64];
    private int size;

    void add(double value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    int size() {
        return size;
    }

    double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
