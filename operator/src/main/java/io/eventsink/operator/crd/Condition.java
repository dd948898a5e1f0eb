package io.eventsink.operator.crd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** A status condition in the Kubernetes API convention (type, status, reason, message, lastTransitionTime). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    public String type;
    /** "True", "False" or "Unknown" ({@link ConditionStatus}). */
    public String status;

    public String reason;
    public String message;
    /** RFC 3339; changes only when status changes. */
    public String lastTransitionTime;

    public Long observedGeneration;

    public Condition() {}

    public Condition(String type, ConditionStatus status, String reason, String message) {
        this.type = type;
        this.status = status.wire();
        this.reason = reason;
        this.message = message;
    }

    public Condition(String type, boolean status, String reason, String message) {
        this(type, ConditionStatus.of(status), reason, message);
    }

    @JsonIgnore
    public ConditionStatus statusValue() {
        return ConditionStatus.parse(status);
    }

    @JsonIgnore
    public boolean isTrue() {
        return statusValue() == ConditionStatus.TRUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c
                && Objects.equals(type, c.type)
                && Objects.equals(status, c.status)
                && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(observedGeneration, c.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, reason, message);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ")";
    }
}
