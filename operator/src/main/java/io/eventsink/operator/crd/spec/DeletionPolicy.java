package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a queue the operator created when its EventSink is deleted. */
public enum DeletionPolicy {
    @JsonProperty("Retain")
    RETAIN,
    @JsonProperty("Delete")
    DELETE
}
