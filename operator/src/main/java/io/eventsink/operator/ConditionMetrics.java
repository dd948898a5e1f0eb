package io.eventsink.operator;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.ConditionStatus;
import io.eventsink.operator.crd.EventSinkStatus;
import io.eventsink.operator.model.Conditions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@value OperatorMetrics#CONDITION}{namespace, eventsink, type, status}: for each EventSink and condition type, 1 on
 * the current status and 0 on the two others, so an alert can say {@code == 1} for the state it is about. The series
 * go away with the EventSink.
 */
public class ConditionMetrics {
    private final MeterRegistry registry;
    private final Map<String, Series> sinks = new ConcurrentHashMap<>();

    /** The gauges of one EventSink: a value per (type, status). */
    private record Series(Map<String, AtomicInteger> values, List<Gauge> gauges) {}

    public ConditionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void update(String namespace, String name, EventSinkStatus status) {
        Series series = sinks.computeIfAbsent(namespace + "/" + name, k -> register(namespace, name));
        for (String type : Conditions.TYPES) {
            Condition c = status == null ? null : status.condition(type);
            ConditionStatus current = c == null ? ConditionStatus.UNKNOWN : c.statusValue();
            for (ConditionStatus s : ConditionStatus.values()) {
                series.values().get(type + "/" + s.wire()).set(s == current ? 1 : 0);
            }
        }
    }

    public void remove(String namespace, String name) {
        Series series = sinks.remove(namespace + "/" + name);
        if (series != null) {
            series.gauges().forEach(registry::remove);
        }
    }

    private Series register(String namespace, String name) {
        Map<String, AtomicInteger> values = new ConcurrentHashMap<>();
        List<Gauge> gauges = new ArrayList<>();
        for (String type : Conditions.TYPES) {
            for (ConditionStatus s : ConditionStatus.values()) {
                AtomicInteger value = new AtomicInteger();
                values.put(type + "/" + s.wire(), value);
                gauges.add(Gauge.builder(OperatorMetrics.CONDITION, value, AtomicInteger::get)
                        .description("1 for the current status of an EventSink's condition, 0 for the others")
                        .tag("namespace", namespace)
                        .tag("eventsink", name)
                        .tag("type", type)
                        .tag("status", s.wire())
                        .register(registry));
            }
        }
        return new Series(values, gauges);
    }
}
