package io.eventsink.operator.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** A condition's status in the Kubernetes API convention; the wire form is the capitalised word. */
public enum ConditionStatus {
    TRUE("True"),
    FALSE("False"),
    UNKNOWN("Unknown");

    private final String wire;

    ConditionStatus(String wire) {
        this.wire = wire;
    }

    public static ConditionStatus of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** The enum for a wire value; anything unrecognised counts as Unknown. */
    public static ConditionStatus parse(String wire) {
        for (ConditionStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
