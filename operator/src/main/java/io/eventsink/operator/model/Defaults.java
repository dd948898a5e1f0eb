package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSinkSpec;
import io.eventsink.settings.ServiceSettings;
import java.util.Optional;
import java.util.function.Function;

/**
 * Schema defaults, repeated in code: the operator must produce the same objects whether or not the API server
 * applied the CRD defaults (it does not for resources created before a default was added).
 */
public final class Defaults {
    public static final String IMAGE = "ghcr.io/eventsink/eventsink-service:0.1.0";
    public static final String IMAGE_PULL_POLICY = "IfNotPresent";
    public static final int REPLICAS = 2;
    public static final int MIN_REPLICAS = 2;
    public static final int MAX_REPLICAS = 10;
    public static final int TARGET_CPU = 70;
    public static final int HEARTBEAT_INTERVAL_MS = ServiceSettings.HEARTBEAT_INTERVAL_DEFAULT;
    public static final int MAX_BODY_BYTES = ServiceSettings.MAX_BODY_BYTES_DEFAULT;
    public static final int MAX_PENDING_EVENTS = ServiceSettings.MAX_PENDING_EVENTS_DEFAULT;
    public static final int BATCH_LINGER_MS = ServiceSettings.BATCH_LINGER_MS_DEFAULT;
    public static final int MAX_INFLIGHT_BATCHES = ServiceSettings.MAX_INFLIGHT_BATCHES_DEFAULT;
    public static final int DELIVERY_TIMEOUT_MS = ServiceSettings.DELIVERY_TIMEOUT_MS_DEFAULT;
    public static final int SHUTDOWN_TIMEOUT_MS = ServiceSettings.SHUTDOWN_TIMEOUT_MS_DEFAULT;
    /** Readiness goes DOWN on SIGTERM and the pod keeps serving this long, so endpoints stop routing to it first. */
    public static final int SHUTDOWN_DELAY_MS = 5000;

    public static final String LOG_LEVEL = ServiceSettings.LOG_LEVEL_DEFAULT;
    public static final int MESSAGE_RETENTION_SECONDS = 345600;
    public static final int VISIBILITY_TIMEOUT_SECONDS = 30;
    public static final int DLQ_MAX_RECEIVE_COUNT = 5;
    public static final int DLQ_MESSAGE_RETENTION_SECONDS = 1209600;
    public static final String ENCRYPTION = "SQS";
    public static final String DELETION_POLICY = "Retain";
    public static final String INGRESS_PATH = "/";

    public static final int HTTP_PORT = 3000;
    public static final int MANAGEMENT_PORT = 9090;
    public static final long RUN_AS_USER = 10001L;

    private Defaults() {}

    /** Null-safe path into an optional part of the spec. */
    public static <A, B> B get(A part, Function<A, B> field, B fallback) {
        return Optional.ofNullable(part).map(field).orElse(fallback);
    }

    public static EventSinkSpec.Config config(EventSinkSpec spec) {
        return spec.config != null ? spec.config : new EventSinkSpec.Config();
    }

    public static EventSinkSpec.Queue queue(EventSinkSpec spec) {
        return spec.queue != null ? spec.queue : new EventSinkSpec.Queue();
    }

    public static boolean autoscalingEnabled(EventSinkSpec spec) {
        return get(spec.autoscaling, a -> a.enabled, true);
    }

    public static int minReplicas(EventSinkSpec spec) {
        return get(spec.autoscaling, a -> a.minReplicas, MIN_REPLICAS);
    }

    public static int maxReplicas(EventSinkSpec spec) {
        return get(spec.autoscaling, a -> a.maxReplicas, MAX_REPLICAS);
    }

    public static int fixedReplicas(EventSinkSpec spec) {
        return spec.replicas != null ? spec.replicas : REPLICAS;
    }

    /** Highest replica count this spec can ever run. */
    public static int maxPossibleReplicas(EventSinkSpec spec) {
        return autoscalingEnabled(spec) ? maxReplicas(spec) : fixedReplicas(spec);
    }

    public static int shutdownTimeoutMs(EventSinkSpec spec) {
        return get(spec.config, c -> c.shutdownTimeoutMs, SHUTDOWN_TIMEOUT_MS);
    }

    public static boolean ingressEnabled(EventSinkSpec spec) {
        return get(spec.ingress, i -> i.enabled, false);
    }

    public static boolean pdbEnabled(EventSinkSpec spec) {
        // a PDB over a single pod would block every node drain
        return get(spec.podDisruptionBudget, p -> p.enabled, true) && maxPossibleReplicas(spec) > 1;
    }

    public static boolean usesExistingServiceAccount(EventSinkSpec spec) {
        return get(spec.serviceAccount, s -> s.name, null) != null;
    }

    public static boolean usesExistingQueue(EventSinkSpec spec) {
        return get(spec.queue, q -> q.existingUrl, null) != null;
    }

    public static boolean deleteQueueOnDeletion(EventSinkSpec spec) {
        return "Delete".equals(get(spec.queue, q -> q.deletionPolicy, DELETION_POLICY));
    }
}
