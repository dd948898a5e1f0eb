package io.eventsink.service;

import io.helidon.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every knob of the service. Each one has an environment variable (the name operators and the
 * reference sink use) and a key of the same name in kebab case under {@code eventsink:} in
 * application.yaml; the environment wins.
 */
public record Settings(
        String host,
        int port,
        int managementPort,
        QueueType queueType,
        Optional<String> sqsQueueUrl,
        Optional<String> sqsEndpoint,
        Optional<String> region,
        List<String> corsAllowedOrigins,
        long heartbeatIntervalMs,
        int maxBodyBytes,
        int maxJsonDepth,
        int maxPendingEvents,
        int maxConcurrentRequests,
        Duration batchLinger,
        int maxInflightBatches,
        Duration deliveryTimeout,
        Duration shutdownDelay,
        Duration shutdownTimeout,
        String logLevel) {

    /** Where accepted events go. */
    public enum QueueType {
        SQS,
        STDOUT
    }

    public Settings {
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        if (queueType == QueueType.SQS && sqsQueueUrl.isEmpty()) {
            throw new IllegalArgumentException("QUEUE_TYPE=SQS needs SQS_QUEUE_URL");
        }
        requireRange("PORT", port, 0, 65535);
        requireRange("MANAGEMENT_PORT", managementPort, 0, 65535);
        // SQS takes at most 256 KiB per message including attributes.
        requireRange("MAX_BODY_BYTES", maxBodyBytes, 256, 250_000);
        requireRange("MAX_JSON_DEPTH", maxJsonDepth, 2, 1000);
        requireRange("MAX_PENDING_EVENTS", maxPendingEvents, 1, 10_000_000);
        requireRange("MAX_CONCURRENT_REQUESTS", maxConcurrentRequests, 1, 1_000_000);
        requireRange("MAX_INFLIGHT_BATCHES", maxInflightBatches, 1, 1024);
        if (port != 0 && port == managementPort) {
            throw new IllegalArgumentException("PORT and MANAGEMENT_PORT must differ");
        }
    }

    /** Reads settings from the process environment over application.yaml. */
    public static Settings load(Config config) {
        return load(config, System.getenv());
    }

    /** Reads settings from {@code env} over {@code config}; tests pass their own map. */
    public static Settings load(Config config, Map<String, String> env) {
        Source s = new Source(config.get("eventsink"), env);
        Optional<String> queueUrl = s.string("SQS_QUEUE_URL");
        QueueType type = s.string("QUEUE_TYPE")
                .map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "sqs" -> QueueType.SQS;
                    case "stdout" -> QueueType.STDOUT;
                    default -> throw new IllegalArgumentException("QUEUE_TYPE must be SQS or stdout, not '" + v + "'");
                })
                .orElse(queueUrl.isPresent() ? QueueType.SQS : QueueType.STDOUT);
        return new Settings(
                s.string("HOST").orElse("0.0.0.0"),
                s.integer("PORT", 3000),
                s.integer("MANAGEMENT_PORT", 9090),
                type,
                queueUrl,
                s.string("SQS_ENDPOINT"),
                s.string("AWS_REGION").or(() -> s.string("QUEUE_REGION")),
                s.string("CORS_ALLOWED_ORIGINS").map(Settings::splitList).orElse(List.of()),
                s.integer("HEARTBEAT_INTERVAL", 5000),
                s.integer("MAX_BODY_BYTES", 64 * 1024),
                s.integer("MAX_JSON_DEPTH", 32),
                s.integer("MAX_PENDING_EVENTS", 10_000),
                s.integer("MAX_CONCURRENT_REQUESTS", 1000),
                Duration.ofMillis(s.integer("BATCH_LINGER_MS", 2)),
                s.integer("MAX_INFLIGHT_BATCHES", 32),
                Duration.ofMillis(s.integer("DELIVERY_TIMEOUT_MS", 5000)),
                Duration.ofMillis(s.integer("SHUTDOWN_DELAY_MS", 0)),
                Duration.ofMillis(s.integer("SHUTDOWN_TIMEOUT_MS", 25_000)),
                s.string("LOG_LEVEL").orElse("INFO"));
    }

    /** A copy with other ports; tests bind to port 0. */
    public Settings withPorts(int newPort, int newManagementPort) {
        return new Settings(
                host,
                newPort,
                newManagementPort,
                queueType,
                sqsQueueUrl,
                sqsEndpoint,
                region,
                corsAllowedOrigins,
                heartbeatIntervalMs,
                maxBodyBytes,
                maxJsonDepth,
                maxPendingEvents,
                maxConcurrentRequests,
                batchLinger,
                maxInflightBatches,
                deliveryTimeout,
                shutdownDelay,
                shutdownTimeout,
                logLevel);
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private record Source(Config yaml, Map<String, String> env) {
        Optional<String> string(String envName) {
            String fromEnv = env.get(envName);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
            String key = envName.toLowerCase(Locale.ROOT).replace('_', '-');
            return yaml.get(key).asString().asOptional().map(String::trim).filter(v -> !v.isEmpty());
        }

        int integer(String envName, int defaultValue) {
            return string(envName)
                    .map(v -> {
                        try {
                            return Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(envName + " must be a whole number, not '" + v + "'");
                        }
                    })
                    .orElse(defaultValue);
        }
    }
}
