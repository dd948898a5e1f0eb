package io.eventsink.operator.model;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.ConditionStatus;
import io.eventsink.operator.crd.EventSinkStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the conditions of one reconcile and builds the next status from them, carrying each condition's
 * lastTransitionTime forward from the previous status while its status holds (so an unchanged state writes an
 * equal status, and no patch).
 */
public final class StatusAggregator {
    private final EventSinkStatus previous;
    private final long generation;
    private final String now;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();

    public StatusAggregator(EventSinkStatus previous, long generation, Instant now) {
        this.previous = previous;
        this.generation = generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public StatusAggregator set(String type, ConditionStatus status, String reason, String message) {
        conditions.put(type, new Condition(type, status, reason, message));
        return this;
    }

    public StatusAggregator set(String type, boolean status, String reason, String message) {
        return set(type, ConditionStatus.of(status), reason, message);
    }

    /** The condition as the previous status had it, or Unknown when it was never evaluated. */
    public StatusAggregator keep(String type) {
        Condition old = previous == null ? null : previous.condition(type);
        return old != null
                ? set(type, old.statusValue(), old.reason, old.message)
                : set(type, ConditionStatus.UNKNOWN, "Unknown", "not evaluated yet");
    }

    /** The next status: {@code base}'s fields, the conditions in {@link Conditions#TYPES} order. */
    public EventSinkStatus build(EventSinkStatus base) {
        List<Condition> out = new ArrayList<>();
        for (String type : Conditions.TYPES) {
            Condition c = conditions.get(type);
            if (c == null) {
                continue;
            }
            Condition old = previous == null ? null : previous.condition(type);
            c.observedGeneration = generation;
            c.lastTransitionTime = old != null && c.status.equals(old.status) && old.lastTransitionTime != null
                    ? old.lastTransitionTime
                    : now;
            out.add(c);
        }
        base.observedGeneration = generation;
        base.conditions = out;
        return base;
    }
}
