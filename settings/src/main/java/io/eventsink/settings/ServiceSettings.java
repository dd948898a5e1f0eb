package io.eventsink.settings;

import java.util.List;
import java.util.Optional;

/**
 * Every setting of the EventSink service, in one place. The service reads them
 * ({@code io.eventsink.service.Settings}), the operator's CRD takes its {@code @Min}, {@code @Max},
 * {@code @Default} and descriptions from the constants below (annotations need compile-time
 * constants, hence the separate fields), its ConfigMap builder maps {@code spec.config} fields to
 * these environment variables, and the README's configuration table is generated from {@link #ALL}.
 */
public final class ServiceSettings {

    // --- listeners (the operator sets these itself)

    public static final Setting HOST = Setting.text("HOST", null, "0.0.0.0", null, "Bind address of both listeners.");
    public static final Setting PORT =
            Setting.integer("PORT", null, 3000, 0, 65535, null, "Public HTTP port: POST /, POST /cmcd, OPTIONS.");
    public static final Setting MANAGEMENT_PORT = Setting.integer(
            "MANAGEMENT_PORT", null, 9090, 0, 65535, null, "Health and metrics port; never exposed publicly.");

    // --- where events go (the operator sets these from the queue it manages)

    public static final Setting QUEUE_TYPE = Setting.text(
            "QUEUE_TYPE",
            null,
            null,
            "(?i)sqs|stdout",
            "SQS, or stdout (one JSON line per event; logs go to stderr). Default: SQS when SQS_QUEUE_URL is set.");
    public static final Setting SQS_QUEUE_URL =
            Setting.text("SQS_QUEUE_URL", null, null, "https?://\\S+", "The queue events go to.");
    public static final Setting SQS_ENDPOINT = Setting.text(
            "SQS_ENDPOINT",
            null,
            null,
            "https?://\\S+",
            "Endpoint override: ElasticMQ, LocalStack, a FIPS or VPC endpoint.");
    public static final Setting AWS_REGION = Setting.text(
            "AWS_REGION",
            null,
            null,
            "[a-z0-9-]+",
            "SQS region (QUEUE_REGION is read too). Default: the region in the queue URL, else us-east-1.");

    // --- the HTTP API

    public static final String CORS_ALLOWED_ORIGINS_DOC =
            "Origins allowed to post from browsers, comma-separated; empty means any origin (*).";
    public static final Setting CORS_ALLOWED_ORIGINS =
            Setting.list("CORS_ALLOWED_ORIGINS", "corsAllowedOrigins", CORS_ALLOWED_ORIGINS_DOC);

    public static final int HEARTBEAT_INTERVAL_DEFAULT = 5000;
    public static final int HEARTBEAT_INTERVAL_MIN = 1000;
    public static final int HEARTBEAT_INTERVAL_MAX = 3_600_000;
    public static final String HEARTBEAT_INTERVAL_DOC = "Heartbeat interval returned to init events.";
    public static final Setting HEARTBEAT_INTERVAL = Setting.integer(
            "HEARTBEAT_INTERVAL",
            "heartbeatIntervalMs",
            HEARTBEAT_INTERVAL_DEFAULT,
            HEARTBEAT_INTERVAL_MIN,
            HEARTBEAT_INTERVAL_MAX,
            "ms",
            HEARTBEAT_INTERVAL_DOC);

    public static final int MAX_BODY_BYTES_DEFAULT = 262_144;
    public static final int MAX_BODY_BYTES_MIN = 1024;
    public static final int MAX_BODY_BYTES_MAX = 10_485_760;
    public static final String MAX_BODY_BYTES_DOC =
            "Largest request body (a batch or a CMCD report body, after decompression); larger gets 413.";
    public static final Setting MAX_BODY_BYTES = Setting.integer(
            "MAX_BODY_BYTES",
            "maxBodyBytes",
            MAX_BODY_BYTES_DEFAULT,
            MAX_BODY_BYTES_MIN,
            MAX_BODY_BYTES_MAX,
            "bytes",
            MAX_BODY_BYTES_DOC);

    /** SQS takes at most 256 KiB per message, attributes included: this leaves room for ours. */
    public static final int MAX_EVENT_BYTES_DEFAULT = 65_536;

    public static final int MAX_EVENT_BYTES_MIN = 256;
    public static final int MAX_EVENT_BYTES_MAX = 250_000;
    public static final String MAX_EVENT_BYTES_DOC =
            "Largest single event; one event is one SQS message, so at most 250000. Larger gets 413.";
    public static final Setting MAX_EVENT_BYTES = Setting.integer(
            "MAX_EVENT_BYTES",
            "maxEventBytes",
            MAX_EVENT_BYTES_DEFAULT,
            MAX_EVENT_BYTES_MIN,
            MAX_EVENT_BYTES_MAX,
            "bytes",
            MAX_EVENT_BYTES_DOC);

    public static final int MAX_BATCH_EVENTS_DEFAULT = 500;
    public static final int MAX_BATCH_EVENTS_MIN = 1;
    public static final int MAX_BATCH_EVENTS_MAX = 10_000;
    public static final String MAX_BATCH_EVENTS_DOC =
            "Most events in one request (a JSON array, NDJSON, or CMCD reports); more gets 413.";
    public static final Setting MAX_BATCH_EVENTS = Setting.integer(
            "MAX_BATCH_EVENTS",
            "maxBatchEvents",
            MAX_BATCH_EVENTS_DEFAULT,
            MAX_BATCH_EVENTS_MIN,
            MAX_BATCH_EVENTS_MAX,
            null,
            MAX_BATCH_EVENTS_DOC);

    public static final int MAX_JSON_DEPTH_DEFAULT = 32;
    public static final int MAX_JSON_DEPTH_MIN = 2;
    public static final int MAX_JSON_DEPTH_MAX = 1000;
    public static final String MAX_JSON_DEPTH_DOC = "Deepest JSON nesting accepted in an event (the event is level 1).";
    public static final Setting MAX_JSON_DEPTH = Setting.integer(
            "MAX_JSON_DEPTH",
            "maxJsonDepth",
            MAX_JSON_DEPTH_DEFAULT,
            MAX_JSON_DEPTH_MIN,
            MAX_JSON_DEPTH_MAX,
            null,
            MAX_JSON_DEPTH_DOC);

    public static final String SHARD_ID_PATTERN_DEFAULT = "^[A-Za-z0-9_-]{1,64}$";
    public static final String SHARD_ID_PATTERN_DOC =
            "Regular expression an event's shardId must match (downstream workers use it to pick a table).";
    public static final Setting SHARD_ID_PATTERN =
            Setting.regex("SHARD_ID_PATTERN", "shardIdPattern", SHARD_ID_PATTERN_DEFAULT, SHARD_ID_PATTERN_DOC);

    public static final boolean CMCD_ENABLED_DEFAULT = true;
    public static final String CMCD_ENABLED_DOC =
            "Accept CMCD v2 reports on /cmcd; when false /cmcd answers 410 (players stop sending).";
    public static final Setting CMCD_ENABLED =
            Setting.bool("CMCD_ENABLED", "cmcdEnabled", CMCD_ENABLED_DEFAULT, CMCD_ENABLED_DOC);

    // --- protection against slow, stalled and too many clients

    public static final int MAX_CONCURRENT_REQUESTS_DEFAULT = 1000;
    public static final int MAX_CONCURRENT_REQUESTS_MIN = 1;
    public static final int MAX_CONCURRENT_REQUESTS_MAX = 100_000;
    public static final String MAX_CONCURRENT_REQUESTS_DOC =
            "Requests being processed at once (counted once their body has arrived); more get 503 at once.";
    public static final Setting MAX_CONCURRENT_REQUESTS = Setting.integer(
            "MAX_CONCURRENT_REQUESTS",
            "maxConcurrentRequests",
            MAX_CONCURRENT_REQUESTS_DEFAULT,
            MAX_CONCURRENT_REQUESTS_MIN,
            MAX_CONCURRENT_REQUESTS_MAX,
            null,
            MAX_CONCURRENT_REQUESTS_DOC);

    public static final int MAX_CONNECTIONS_DEFAULT = 20_000;
    public static final int MAX_CONNECTIONS_MIN = 16;
    public static final int MAX_CONNECTIONS_MAX = 1_000_000;
    public static final String MAX_CONNECTIONS_DOC =
            "Open connections on the public port; beyond it new ones get 503 at accept. Lowered to what the heap holds"
                    + " (about 24 KiB each).";
    public static final Setting MAX_CONNECTIONS = Setting.integer(
            "MAX_CONNECTIONS",
            "maxConnections",
            MAX_CONNECTIONS_DEFAULT,
            MAX_CONNECTIONS_MIN,
            MAX_CONNECTIONS_MAX,
            null,
            MAX_CONNECTIONS_DOC);

    public static final int REQUEST_HEAD_TIMEOUT_MS_DEFAULT = 10_000;
    public static final int REQUEST_HEAD_TIMEOUT_MS_MIN = 100;
    public static final int REQUEST_HEAD_TIMEOUT_MS_MAX = 300_000;
    public static final String REQUEST_HEAD_TIMEOUT_MS_DOC =
            "A request head must arrive within this time of its first byte; else 408 and the connection closes.";
    public static final Setting REQUEST_HEAD_TIMEOUT_MS = Setting.integer(
            "REQUEST_HEAD_TIMEOUT_MS",
            "requestHeadTimeoutMs",
            REQUEST_HEAD_TIMEOUT_MS_DEFAULT,
            REQUEST_HEAD_TIMEOUT_MS_MIN,
            REQUEST_HEAD_TIMEOUT_MS_MAX,
            "ms",
            REQUEST_HEAD_TIMEOUT_MS_DOC);

    public static final int REQUEST_BODY_TIMEOUT_MS_DEFAULT = 10_000;
    public static final int REQUEST_BODY_TIMEOUT_MS_MIN = 100;
    public static final int REQUEST_BODY_TIMEOUT_MS_MAX = 300_000;
    public static final String REQUEST_BODY_TIMEOUT_MS_DOC =
            "A request body must arrive within this time of its first byte; else 408 and the connection closes.";
    public static final Setting REQUEST_BODY_TIMEOUT_MS = Setting.integer(
            "REQUEST_BODY_TIMEOUT_MS",
            "requestBodyTimeoutMs",
            REQUEST_BODY_TIMEOUT_MS_DEFAULT,
            REQUEST_BODY_TIMEOUT_MS_MIN,
            REQUEST_BODY_TIMEOUT_MS_MAX,
            "ms",
            REQUEST_BODY_TIMEOUT_MS_DOC);

    public static final int RESPONSE_SEND_TIMEOUT_MS_DEFAULT = 10_000;
    public static final int RESPONSE_SEND_TIMEOUT_MS_MIN = 100;
    public static final int RESPONSE_SEND_TIMEOUT_MS_MAX = 300_000;
    public static final String RESPONSE_SEND_TIMEOUT_MS_DOC =
            "An answer must be taken by the client within this time of its write starting; else the connection closes.";
    public static final Setting RESPONSE_SEND_TIMEOUT_MS = Setting.integer(
            "RESPONSE_SEND_TIMEOUT_MS",
            "responseSendTimeoutMs",
            RESPONSE_SEND_TIMEOUT_MS_DEFAULT,
            RESPONSE_SEND_TIMEOUT_MS_MIN,
            RESPONSE_SEND_TIMEOUT_MS_MAX,
            "ms",
            RESPONSE_SEND_TIMEOUT_MS_DOC);

    /** Above the 60 s idle timeout of AWS load balancers and nginx, so the balancer closes first. */
    public static final int IDLE_CONNECTION_TIMEOUT_MS_DEFAULT = 75_000;

    public static final int IDLE_CONNECTION_TIMEOUT_MS_MIN = 1000;
    public static final int IDLE_CONNECTION_TIMEOUT_MS_MAX = 3_600_000;
    public static final String IDLE_CONNECTION_TIMEOUT_MS_DOC =
            "A keep-alive connection with no request for this long is closed.";
    public static final Setting IDLE_CONNECTION_TIMEOUT_MS = Setting.integer(
            "IDLE_CONNECTION_TIMEOUT_MS",
            "idleConnectionTimeoutMs",
            IDLE_CONNECTION_TIMEOUT_MS_DEFAULT,
            IDLE_CONNECTION_TIMEOUT_MS_MIN,
            IDLE_CONNECTION_TIMEOUT_MS_MAX,
            "ms",
            IDLE_CONNECTION_TIMEOUT_MS_DOC);

    // --- delivery

    public static final int MAX_PENDING_EVENTS_DEFAULT = 10_000;
    public static final int MAX_PENDING_EVENTS_MIN = 1;
    public static final int MAX_PENDING_EVENTS_MAX = 1_000_000;
    public static final String MAX_PENDING_EVENTS_DOC =
            "Events accepted but not yet stored in SQS; when full, new events get 503 at once.";
    public static final Setting MAX_PENDING_EVENTS = Setting.integer(
            "MAX_PENDING_EVENTS",
            "maxPendingEvents",
            MAX_PENDING_EVENTS_DEFAULT,
            MAX_PENDING_EVENTS_MIN,
            MAX_PENDING_EVENTS_MAX,
            null,
            MAX_PENDING_EVENTS_DOC);

    public static final int BATCH_LINGER_MS_DEFAULT = 2;
    public static final int BATCH_LINGER_MS_MIN = 0;
    public static final int BATCH_LINGER_MS_MAX = 1000;
    public static final String BATCH_LINGER_MS_DOC =
            "While batches are in flight, how long the next one waits to fill; an idle sink sends at once.";
    public static final Setting BATCH_LINGER_MS = Setting.integer(
            "BATCH_LINGER_MS",
            "batchLingerMs",
            BATCH_LINGER_MS_DEFAULT,
            BATCH_LINGER_MS_MIN,
            BATCH_LINGER_MS_MAX,
            "ms",
            BATCH_LINGER_MS_DOC);

    public static final int MAX_INFLIGHT_BATCHES_DEFAULT = 32;
    public static final int MAX_INFLIGHT_BATCHES_MIN = 1;
    public static final int MAX_INFLIGHT_BATCHES_MAX = 1024;
    public static final String MAX_INFLIGHT_BATCHES_DOC = "Concurrent SendMessageBatch calls per pod.";
    public static final Setting MAX_INFLIGHT_BATCHES = Setting.integer(
            "MAX_INFLIGHT_BATCHES",
            "maxInflightBatches",
            MAX_INFLIGHT_BATCHES_DEFAULT,
            MAX_INFLIGHT_BATCHES_MIN,
            MAX_INFLIGHT_BATCHES_MAX,
            null,
            MAX_INFLIGHT_BATCHES_DOC);

    public static final int DELIVERY_TIMEOUT_MS_DEFAULT = 5000;
    public static final int DELIVERY_TIMEOUT_MS_MIN = 100;
    public static final int DELIVERY_TIMEOUT_MS_MAX = 60_000;
    public static final String DELIVERY_TIMEOUT_MS_DOC = "An event not stored in SQS within this time gets 503.";
    public static final Setting DELIVERY_TIMEOUT_MS = Setting.integer(
            "DELIVERY_TIMEOUT_MS",
            "deliveryTimeoutMs",
            DELIVERY_TIMEOUT_MS_DEFAULT,
            DELIVERY_TIMEOUT_MS_MIN,
            DELIVERY_TIMEOUT_MS_MAX,
            "ms",
            DELIVERY_TIMEOUT_MS_DOC);

    // --- the queue's message format

    public static final Setting SQS_MESSAGE_FORMAT = Setting.text(
            "SQS_MESSAGE_FORMAT",
            null,
            "event",
            "event|packed",
            "event: one event per SQS message (the EPAS worker contract); packed: many events per message as"
                    + " NDJSON (docs/queue-format.md), for a fraction of the SQS requests.");
    /** SQS bills each 64 KiB of a request's payload as one request: packs fill whole units. */
    public static final int SQS_BILLING_UNIT_BYTES = 65_536;

    public static final Setting SQS_PACK_MAX_BYTES = Setting.multiple(
            "SQS_PACK_MAX_BYTES",
            null,
            SQS_BILLING_UNIT_BYTES,
            SQS_BILLING_UNIT_BYTES,
            1_048_576,
            SQS_BILLING_UNIT_BYTES,
            "bytes",
            "Packed format: largest message, body plus attributes, in whole 64 KiB billing units (SQS takes"
                    + " up to 1 MiB; the queue's MaximumMessageSize must allow it).");
    public static final Setting SQS_PACK_LINGER_MS = Setting.integer(
            "SQS_PACK_LINGER_MS",
            null,
            100,
            0,
            1000,
            "ms",
            "Packed format: how long a pack may wait to fill once the sink is busy; an idle sink sends at once.");
    public static final Setting SQS_PACK_COMPRESSION = Setting.text(
            "SQS_PACK_COMPRESSION",
            null,
            "none",
            "none|gzip",
            "Packed format: none, or gzip (the body is base64 of the gzip stream; ContentEncoding=gzip).");

    // --- warm-up before readiness

    public static final Setting WARMUP_ENABLED = Setting.bool(
            "WARMUP_ENABLED",
            null,
            true,
            "Before reporting ready, drive the pod's own request path against an in-process stand-in for the"
                    + " queue until it runs at full speed.");
    public static final Setting WARMUP_TIMEOUT_MS = Setting.integer(
            "WARMUP_TIMEOUT_MS",
            null,
            20_000,
            1000,
            120_000,
            "ms",
            "Longest the warm-up may take; readiness comes up when it ends, whether or not it finished.");

    // --- lifecycle

    public static final Setting SHUTDOWN_DELAY_MS = Setting.integer(
            "SHUTDOWN_DELAY_MS",
            null,
            0,
            0,
            300_000,
            "ms",
            "On SIGTERM, keep serving this long with readiness DOWN so endpoints update first (the operator sets"
                    + " 5000).");

    public static final int SHUTDOWN_TIMEOUT_MS_DEFAULT = 25_000;
    public static final int SHUTDOWN_TIMEOUT_MS_MIN = 0;
    public static final int SHUTDOWN_TIMEOUT_MS_MAX = 600_000;
    public static final String SHUTDOWN_TIMEOUT_MS_DOC =
            "On shutdown, how long to deliver what is pending after the listener stopped.";
    public static final Setting SHUTDOWN_TIMEOUT_MS = Setting.integer(
            "SHUTDOWN_TIMEOUT_MS",
            "shutdownTimeoutMs",
            SHUTDOWN_TIMEOUT_MS_DEFAULT,
            SHUTDOWN_TIMEOUT_MS_MIN,
            SHUTDOWN_TIMEOUT_MS_MAX,
            "ms",
            SHUTDOWN_TIMEOUT_MS_DOC);

    public static final String LOG_LEVEL_DEFAULT = "INFO";
    public static final String LOG_LEVEL_PATTERN = "^(TRACE|DEBUG|INFO|WARN|ERROR)$";
    public static final String LOG_LEVEL_DOC = "Log level: TRACE, DEBUG, INFO, WARN or ERROR.";
    public static final Setting LOG_LEVEL =
            Setting.text("LOG_LEVEL", "logLevel", LOG_LEVEL_DEFAULT, LOG_LEVEL_PATTERN, LOG_LEVEL_DOC);

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

    /** The settings an EventSink can set through {@code spec.config}. */
    public static List<Setting> inCrd() {
        return ALL.stream().filter(Setting::inCrd).toList();
    }

    /** The setting read from environment variable {@code env}. */
    public static Optional<Setting> byEnv(String env) {
        return ALL.stream().filter(s -> s.env().equals(env)).findFirst();
    }

    /** The setting behind {@code spec.config.<crdField>}. */
    public static Optional<Setting> byCrdField(String crdField) {
        return ALL.stream().filter(s -> crdField.equals(s.crdField())).findFirst();
    }
}
