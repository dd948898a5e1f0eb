package io.eventsink.settings;

import java.util.List;
import java.util.Optional;

/**
 * Every setting of the EventSink service, in one place: {@code ServiceSettings.MAX_BODY_BYTES} and the others, defined
 * by topic in the interfaces this class gathers, and {@link #ALL}. The service reads them
 * ({@code io.eventsink.service.Settings}); the operator's build writes the CRD schema of each field named by a
 * {@link Setting#crdPath()} from them and the operator maps those fields to the variables; the README's configuration
 * table is generated from {@link #ALL}. A new setting is one entry here (and in {@link #ALL}).
 */
public final class ServiceSettings
        implements ListenerSettings,
                SqsSettings,
                RequestSettings,
                ConnectionSettings,
                DeliverySettings,
                LifecycleSettings {

    /** Every setting, in the order the docs list them. */
    public static final List<Setting> ALL = List.of(
            HOST,
            PORT,
            MANAGEMENT_PORT,
            QUEUE_TYPE,
            SQS_QUEUE_URL,
            SQS_ENDPOINT,
            AWS_REGION,
            CORS_ALLOWED_ORIGINS,
            HEARTBEAT_INTERVAL,
            MAX_BODY_BYTES,
            MAX_EVENT_BYTES,
            MAX_BATCH_EVENTS,
            MAX_JSON_DEPTH,
            SHARD_ID_PATTERN,
            CMCD_ENABLED,
            MAX_CONCURRENT_REQUESTS,
            MAX_CONNECTIONS,
            REQUEST_HEAD_TIMEOUT_MS,
            REQUEST_BODY_TIMEOUT_MS,
            RESPONSE_SEND_TIMEOUT_MS,
            IDLE_CONNECTION_TIMEOUT_MS,
            MAX_PENDING_EVENTS,
            BATCH_LINGER_MS,
            MAX_INFLIGHT_BATCHES,
            DELIVERY_TIMEOUT_MS,
            SQS_MESSAGE_FORMAT,
            SQS_PACK_MAX_BYTES,
            SQS_PACK_LINGER_MS,
            SQS_PACK_COMPRESSION,
            WARMUP_ENABLED,
            WARMUP_TIMEOUT_MS,
            SHUTDOWN_DELAY_MS,
            SHUTDOWN_TIMEOUT_MS,
            LOG_LEVEL);

    private ServiceSettings() {}

    /** The settings an EventSink sets through a field of its spec. */
    public static List<Setting> inCrd() {
        return ALL.stream().filter(Setting::inCrd).toList();
    }

    /** The setting read from environment variable {@code env}. */
    public static Optional<Setting> byEnv(String env) {
        return ALL.stream().filter(s -> s.env().equals(env)).findFirst();
    }

    /** The setting behind the spec field {@code crdPath} (e.g. {@code config.maxBodyBytes}). */
    public static Optional<Setting> byCrdPath(String crdPath) {
        return ALL.stream().filter(s -> crdPath.equals(s.crdPath())).findFirst();
    }
}
