package io.eventsink.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Operator configuration, read from the environment ("Operator configuration" in operator/README.md). */
public record OperatorSettings(
        Set<String> watchNamespaces,
        boolean leaderElection,
        String leaseNamespace,
        String identity,
        Duration leaseDuration,
        int managementPort,
        String awsRegion,
        Duration resync,
        String logLevel,
        int reconcileThreads) {

    public static final String LEASE_NAME = "eventsink-operator-lock";

    public static OperatorSettings fromEnv(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(
                        env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        String podNamespace = env.get("POD_NAMESPACE");
        String identity = env.getOrDefault(
                "POD_NAME", env.getOrDefault("HOSTNAME", UUID.randomUUID().toString()));
        return new OperatorSettings(
                namespaces,
                Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION_ENABLED", "true")),
                env.getOrDefault("LEADER_ELECTION_NAMESPACE", podNamespace),
                identity,
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("LEADER_ELECTION_LEASE_SECONDS", "15"))),
                Integer.parseInt(env.getOrDefault("OPERATOR_MANAGEMENT_PORT", "8081")),
                env.get("AWS_REGION"), // null: the SDK's region chain decides (see SqsClients)
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("QUEUE_RESYNC_SECONDS", "600"))),
                env.getOrDefault("LOG_LEVEL", "INFO"),
                Integer.parseInt(env.getOrDefault("RECONCILE_THREADS", "50")));
    }

    /** Renew deadline and retry period in the proportions of the client-go defaults (15 s, 10 s, 2 s). */
    public Duration renewDeadline() {
        return leaseDuration.multipliedBy(2).dividedBy(3);
    }

    public Duration retryPeriod() {
        return leaseDuration.dividedBy(7).plusMillis(1);
    }
}
