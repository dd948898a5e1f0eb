package io.eventsink.operator.model;

import io.eventsink.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * The service container's probes, on the management port's health endpoints (main README). A new pod warms up before
 * it takes traffic: {@code /health/started} is DOWN until the warm-up has ended (it ends within
 * {@code WARMUP_TIMEOUT_MS}) and {@code /health/ready} is DOWN meanwhile. The startup probe waits that out, then
 * readiness lets the warmed pod into the Service's endpoints at its next check.
 */
public final class Probes {
    /** The startup probe's allowance for starting the JVM and its listeners, before any warm-up. */
    static final int START_SECONDS = 60;
    /** Startup is asked often, so that a pod whose warm-up ended is not kept waiting for the next check. */
    static final int STARTUP_PERIOD_SECONDS = 1;

    static final int READINESS_PERIOD_SECONDS = 2;
    static final int LIVENESS_PERIOD_SECONDS = 10;

    private Probes() {}

    /**
     * DOWN while the JVM starts and the warm-up runs; its failure budget is the start allowance plus
     * WARMUP_TIMEOUT_MS (when the warm-up is on), after which the kubelet restarts the container. Liveness and
     * readiness are only asked once it succeeded.
     */
    public static Probe startup(EventSinkModel m) {
        return get("/health/started", STARTUP_PERIOD_SECONDS, 1, startupFailureThreshold(m));
    }

    /** Failed startup checks allowed: the start allowance plus the longest warm-up, in startup periods. */
    static int startupFailureThreshold(EventSinkModel m) {
        boolean warmup = Boolean.parseBoolean(m.serviceSetting(ServiceSettings.WARMUP_ENABLED));
        long warmupMs = warmup ? Long.parseLong(m.serviceSetting(ServiceSettings.WARMUP_TIMEOUT_MS)) : 0;
        long seconds = START_SECONDS + (warmupMs + 999) / 1000;
        return Math.toIntExact((seconds + STARTUP_PERIOD_SECONDS - 1) / STARTUP_PERIOD_SECONDS);
    }

    /** Restarts a container whose service no longer answers at all. */
    public static Probe liveness() {
        return get("/health/live", LIVENESS_PERIOD_SECONDS, 2, 3);
    }

    /**
     * In the Service's endpoints while the pod can store events (DOWN while the queue is unreachable, the buffer is
     * full, the pod stops or warms up); a short period lets a warmed pod take traffic soon after its startup check.
     */
    public static Probe readiness() {
        return get("/health/ready", READINESS_PERIOD_SECONDS, 2, 3);
    }

    private static Probe get(String path, int periodSeconds, int timeoutSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString("management"))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(timeoutSeconds)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
