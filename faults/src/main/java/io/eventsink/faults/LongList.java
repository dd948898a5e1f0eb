package io.eventsink.faults;

import java.util.Arrays;

/** A growable list of primitive longs (latencies, timestamps): no boxing for millions of samples. Not shared between threads. */
final class LongList {
    private long[] data = new long[1024];
    private int size;

    void add(long v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    long[] toArray() {
        return Arrays.copyOf(data, size);
    }

    long[] sorted() {
        long[] copy = toArray();
        Arrays.sort(copy);
        return copy;
    }
}
