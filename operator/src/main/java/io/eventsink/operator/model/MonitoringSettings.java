package io.eventsink.operator.model;

import static io.eventsink.operator.model.Resolve.or;
import static io.eventsink.operator.model.Resolve.sorted;

import io.eventsink.operator.crd.spec.MonitoringSpec;
import java.util.Map;
import java.util.Objects;

/** {@code spec.monitoring} resolved. */
public record MonitoringSettings(boolean enabled, String interval, Map<String, String> labels) {

    static MonitoringSettings from(MonitoringSpec spec) {
        var mon = Objects.requireNonNullElseGet(spec, MonitoringSpec::new);
        return new MonitoringSettings(
                or(mon.enabled, MonitoringSpec.ENABLED_DEFAULT),
                or(mon.interval, MonitoringSpec.INTERVAL_DEFAULT),
                sorted(mon.labels));
    }
}
