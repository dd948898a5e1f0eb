package io.eventsink.operator.model;

import java.util.List;

/** The condition types of an EventSink's status, in the order they are listed. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String QUEUE_READY = "QueueReady";
    public static final String DEPLOYMENT_READY = "DeploymentReady";
    public static final String DEGRADED = "Degraded";
    public static final List<String> TYPES = List.of(READY, QUEUE_READY, DEPLOYMENT_READY, DEGRADED);

    private Conditions() {}
}
