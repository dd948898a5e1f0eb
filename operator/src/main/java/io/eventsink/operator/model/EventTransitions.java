package io.eventsink.operator.model;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.ConditionStatus;
import io.eventsink.operator.crd.EventSinkStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which Kubernetes Events a status change deserves: one per transition of QueueReady, Ready or Degraded (so a
 * stuck resource does not flood the namespace), a failure that shows on several conditions at once announced once.
 */
public final class EventTransitions {
    /** One Event to record. */
    public record Announcement(boolean warning, String reason, String message) {}

    private EventTransitions() {}

    public static List<Announcement> between(EventSinkStatus previous, EventSinkStatus next) {
        List<Announcement> out = new ArrayList<>();
        Set<String> warned = new HashSet<>();
        for (String type : List.of(Conditions.QUEUE_READY, Conditions.READY, Conditions.DEGRADED)) {
            Condition before = previous == null ? null : previous.condition(type);
            Condition after = next.condition(type);
            if (after == null || after.statusValue() == ConditionStatus.UNKNOWN || !changed(before, after)) {
                continue;
            }
            boolean bad = type.equals(Conditions.DEGRADED) ? after.isTrue() : !after.isTrue();
            if (!bad) {
                if (!type.equals(Conditions.DEGRADED)) {
                    out.add(new Announcement(false, type, after.message));
                }
            } else if ((before != null || !"Progressing".equals(after.reason))
                    && warned.add(after.reason + "\n" + after.message)) {
                // a sink that is still starting is not worth a Warning; anything else that goes wrong is
                out.add(new Announcement(true, after.reason, after.message));
            }
        }
        return out;
    }

    private static boolean changed(Condition before, Condition after) {
        return before == null
                || !Objects.equals(before.status, after.status)
                || !Objects.equals(before.reason, after.reason);
    }
}
