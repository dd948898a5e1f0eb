package io.eventsink.operator.model;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers that resolve spec fields into immutable model values. */
final class Resolve {
    private Resolve() {}

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Sorted, so that what is built from it hashes the same on every run. */
    static Map<String, String> sorted(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** A deep copy, so that nothing built from the model can reach back into the custom resource. */
    static <T> T copy(T value) {
        return value == null ? null : Serialization.clone(value);
    }
}
