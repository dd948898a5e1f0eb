package io.eventsink.service.cmcd;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One CMCD report: an event-mode record, or the keys of a request-mode report. Access is typed
 * and forgiving as CTA-5004-B section 6 asks: a value of the wrong type, or a string over its
 * length limit, reads as absent; unknown keys are simply never asked for.
 */
public final class CmcdReport {

    private final Map<String, Sfv.Item> keys;

    CmcdReport(Map<String, Sfv.Item> keys) {
        this.keys = Map.copyOf(keys);
    }

    Map<String, Sfv.Item> keys() {
        return keys;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    Optional<String> token(String key) {
        Sfv.Item item = keys.get(key);
        return item != null && item.value() instanceof Sfv.Token t ? Optional.of(t.value()) : Optional.empty();
    }

    OptionalLong integer(String key) {
        Sfv.Item item = keys.get(key);
        return item != null && item.value() instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** An integer, or a decimal rounded down: for keys players send either way. */
    OptionalLong number(String key) {
        Sfv.Item item = keys.get(key);
        if (item != null && item.value() instanceof BigDecimal d) {
            return OptionalLong.of(d.longValue());
        }
        return integer(key);
    }

    Optional<String> string(String key, int maxLength) {
        Sfv.Item item = keys.get(key);
        return item != null && item.value() instanceof String s && s.length() <= maxLength
                ? Optional.of(s)
                : Optional.empty();
    }

    /** Present as a boolean true (a bare key, or {@code ?1}). */
    boolean isTrue(String key) {
        Sfv.Item item = keys.get(key);
        return item != null && Boolean.TRUE.equals(item.value());
    }

    boolean has(String key) {
        return keys.containsKey(key);
    }

    /** An inner list's items; a bare value counts as a list of one (some players send {@code br=1000}). */
    @SuppressWarnings("unchecked")
    List<Sfv.Item> list(String key) {
        Sfv.Item item = keys.get(key);
        if (item == null) {
            return List.of();
        }
        return item.value() instanceof List<?> items ? (List<Sfv.Item>) items : List.of(item);
    }

    @Override
    public String toString() {
        return keys.keySet().toString();
    }
}
