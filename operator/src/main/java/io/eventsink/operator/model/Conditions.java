package io.eventsink.operator.model;

import io.eventsink.operator.crd.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Merges freshly computed conditions into the previous ones, keeping lastTransitionTime while status holds. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String QUEUE_READY = "QueueReady";
    public static final String DEPLOYMENT_READY = "DeploymentReady";
    public static final String DEGRADED = "Degraded";

    private Conditions() {}

    public static List<Condition> merge(List<Condition> previous, List<Condition> fresh, long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (Condition c : fresh) {
            Condition old = previous == null
                    ? null
                    : previous.stream()
                            .filter(p -> c.type.equals(p.type))
                            .findFirst()
                            .orElse(null);
            c.observedGeneration = generation;
            c.lastTransitionTime =
                    old != null && old.status != null && old.status.equals(c.status) && old.lastTransitionTime != null
                            ? old.lastTransitionTime
                            : ts;
            out.add(c);
        }
        return out;
    }
}
