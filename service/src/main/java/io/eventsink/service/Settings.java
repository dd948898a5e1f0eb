package io.eventsink.service;

import static io.eventsink.settings.ServiceSettings.AWS_REGION;
import static io.eventsink.settings.ServiceSettings.BATCH_LINGER_MS;
import static io.eventsink.settings.ServiceSettings.CMCD_ENABLED;
import static io.eventsink.settings.ServiceSettings.CORS_ALLOWED_ORIGINS;
import static io.eventsink.settings.ServiceSettings.DELIVERY_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.HEARTBEAT_INTERVAL;
import static io.eventsink.settings.ServiceSettings.HOST;
import static io.eventsink.settings.ServiceSettings.IDLE_CONNECTION_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.LOG_LEVEL;
import static io.eventsink.settings.ServiceSettings.MANAGEMENT_PORT;
import static io.eventsink.settings.ServiceSettings.MAX_BATCH_EVENTS;
import static io.eventsink.settings.ServiceSettings.MAX_BODY_BYTES;
import static io.eventsink.settings.ServiceSettings.MAX_CONCURRENT_REQUESTS;
import static io.eventsink.settings.ServiceSettings.MAX_CONNECTIONS;
import static io.eventsink.settings.ServiceSettings.MAX_EVENT_BYTES;
import static io.eventsink.settings.ServiceSettings.MAX_INFLIGHT_BATCHES;
import static io.eventsink.settings.ServiceSettings.MAX_JSON_DEPTH;
import static io.eventsink.settings.ServiceSettings.MAX_PENDING_EVENTS;
import static io.eventsink.settings.ServiceSettings.PORT;
import static io.eventsink.settings.ServiceSettings.QUEUE_TYPE;
import static io.eventsink.settings.ServiceSettings.REQUEST_BODY_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.REQUEST_HEAD_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.RESPONSE_SEND_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.SHARD_ID_PATTERN;
import static io.eventsink.settings.ServiceSettings.SHUTDOWN_DELAY_MS;
import static io.eventsink.settings.ServiceSettings.SHUTDOWN_TIMEOUT_MS;
import static io.eventsink.settings.ServiceSettings.SQS_ENDPOINT;
import static io.eventsink.settings.ServiceSettings.SQS_MESSAGE_FORMAT;
import static io.eventsink.settings.ServiceSettings.SQS_PACK_COMPRESSION;
import static io.eventsink.settings.ServiceSettings.SQS_PACK_LINGER_MS;
import static io.eventsink.settings.ServiceSettings.SQS_PACK_MAX_BYTES;
import static io.eventsink.settings.ServiceSettings.SQS_QUEUE_URL;
import static io.eventsink.settings.ServiceSettings.WARMUP_ENABLED;
import static io.eventsink.settings.ServiceSettings.WARMUP_TIMEOUT_MS;

import io.eventsink.service.delivery.format.MessageFormat;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The service's settings, resolved once at start. Names, defaults and bounds come from the
 * settings catalogue ({@link io.eventsink.settings.ServiceSettings}); each is read from its
 * environment variable, else from the key of the same name in kebab case under {@code eventsink:}
 * in application.yaml, else its default.
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
        int maxEventBytes,
        int maxBatchEvents,
        int maxJsonDepth,
        Pattern shardIdPattern,
        boolean cmcdEnabled,
        int maxConcurrentRequests,
        int maxConnections,
        Duration requestHeadTimeout,
        Duration requestBodyTimeout,
        Duration responseSendTimeout,
        Duration idleConnectionTimeout,
        int maxPendingEvents,
        Duration batchLinger,
        int maxInflightBatches,
        Duration deliveryTimeout,
        MessageFormat messageFormat,
        boolean warmupEnabled,
        Duration warmupTimeout,
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
        // every setting of the catalogue is checked, also one this version does not read
        ServiceSettings.ALL.forEach(s::value);
        Optional<String> queueUrl = s.text(SQS_QUEUE_URL);
        QueueType type = s.text(QUEUE_TYPE)
                .map(v -> QueueType.valueOf(v.toUpperCase(Locale.ROOT)))
                .orElse(queueUrl.isPresent() ? QueueType.SQS : QueueType.STDOUT);
        return new Settings(
                s.text(HOST).orElseThrow(),
                s.integer(PORT),
                s.integer(MANAGEMENT_PORT),
                type,
                queueUrl,
                s.text(SQS_ENDPOINT),
                s.text(AWS_REGION).or(() -> s.raw("QUEUE_REGION")),
                s.text(CORS_ALLOWED_ORIGINS).map(Settings::splitList).orElse(List.of()),
                s.integer(HEARTBEAT_INTERVAL),
                s.integer(MAX_BODY_BYTES),
                s.integer(MAX_EVENT_BYTES),
                s.integer(MAX_BATCH_EVENTS),
                s.integer(MAX_JSON_DEPTH),
                Pattern.compile(s.text(SHARD_ID_PATTERN).orElseThrow()),
                s.bool(CMCD_ENABLED),
                s.integer(MAX_CONCURRENT_REQUESTS),
                s.integer(MAX_CONNECTIONS),
                s.millis(REQUEST_HEAD_TIMEOUT_MS),
                s.millis(REQUEST_BODY_TIMEOUT_MS),
                s.millis(RESPONSE_SEND_TIMEOUT_MS),
                s.millis(IDLE_CONNECTION_TIMEOUT_MS),
                s.integer(MAX_PENDING_EVENTS),
                s.millis(BATCH_LINGER_MS),
                s.integer(MAX_INFLIGHT_BATCHES),
                s.millis(DELIVERY_TIMEOUT_MS),
                messageFormat(s),
                s.bool(WARMUP_ENABLED),
                s.millis(WARMUP_TIMEOUT_MS),
                s.millis(SHUTDOWN_DELAY_MS),
                s.millis(SHUTDOWN_TIMEOUT_MS),
                s.text(LOG_LEVEL).orElseThrow());
    }

    private static MessageFormat messageFormat(Source s) {
        if (s.text(SQS_MESSAGE_FORMAT).orElseThrow().equals("event")) {
            return MessageFormat.EVENT;
        }
        return MessageFormat.packed(
                s.integer(SQS_PACK_MAX_BYTES),
                s.millis(SQS_PACK_LINGER_MS),
                s.text(SQS_PACK_COMPRESSION).orElseThrow().equals("gzip"));
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

    /** Environment over application.yaml over the catalogue's default, checked by the catalogue's rules. */
    private record Source(Config yaml, Map<String, String> env) {

        Optional<String> raw(String envName) {
            String fromEnv = env.get(envName);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
            String key = envName.toLowerCase(Locale.ROOT).replace('_', '-');
            return yaml.get(key).asString().asOptional().map(String::trim).filter(v -> !v.isEmpty());
        }

        /** The checked value, or the default (which may be absent). */
        private Optional<Object> value(Setting setting) {
            Optional<String> given = raw(setting.env());
            if (setting.env().equals(LOG_LEVEL.env())) {
                given = given.map(v -> v.toUpperCase(Locale.ROOT));
            }
            return given.or(() -> Optional.ofNullable(setting.defaultValue())).map(setting::parse);
        }

        Optional<String> text(Setting setting) {
            return value(setting).map(String.class::cast);
        }

        int integer(Setting setting) {
            return Math.toIntExact((Long) value(setting).orElseThrow());
        }

        Duration millis(Setting setting) {
            return Duration.ofMillis(integer(setting));
        }

        boolean bool(Setting setting) {
            return (Boolean) value(setting).orElseThrow();
        }
    }
}
