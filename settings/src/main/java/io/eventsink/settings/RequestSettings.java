package io.eventsink.settings;

/** What the HTTP API accepts. Read through {@link ServiceSettings}. */
interface RequestSettings {
    Setting CORS_ALLOWED_ORIGINS = Setting.list(
            "CORS_ALLOWED_ORIGINS",
            "config.corsAllowedOrigins",
            "Origins allowed to post from browsers, comma-separated; empty means any origin (*).");
    Setting HEARTBEAT_INTERVAL = Setting.integer(
            "HEARTBEAT_INTERVAL",
            "config.heartbeatIntervalMs",
            5000,
            1000,
            3_600_000,
            "ms",
            "Heartbeat interval returned to init events.");
    Setting MAX_BODY_BYTES = Setting.integer(
            "MAX_BODY_BYTES",
            "config.maxBodyBytes",
            262_144,
            1024,
            10_485_760,
            "bytes",
            "Largest request body (a batch or a CMCD report body, after decompression); larger gets 413.");
    /** SQS takes at most 256 KiB per message, attributes included: the maximum leaves room for ours. */
    Setting MAX_EVENT_BYTES = Setting.integer(
            "MAX_EVENT_BYTES",
            "config.maxEventBytes",
            65_536,
            256,
            250_000,
            "bytes",
            "Largest single event; one event is one SQS message, so at most 250000. Larger gets 413.");

    Setting MAX_BATCH_EVENTS = Setting.integer(
            "MAX_BATCH_EVENTS",
            "config.maxBatchEvents",
            500,
            1,
            10_000,
            null,
            "Most events in one request (a JSON array, NDJSON, or CMCD reports); more gets 413.");
    Setting MAX_JSON_DEPTH = Setting.integer(
            "MAX_JSON_DEPTH",
            "config.maxJsonDepth",
            32,
            2,
            1000,
            null,
            "Deepest JSON nesting accepted in an event (the event is level 1).");
    /** Read by service code that needs the default as a constant. */
    String SHARD_ID_PATTERN_DEFAULT = "^[A-Za-z0-9_-]{1,64}$";

    Setting SHARD_ID_PATTERN = Setting.regex(
            "SHARD_ID_PATTERN",
            "config.shardIdPattern",
            SHARD_ID_PATTERN_DEFAULT,
            "Regular expression an event's shardId must match (downstream workers use it to pick a table).");
    Setting CMCD_ENABLED = Setting.bool(
            "CMCD_ENABLED",
            "config.cmcdEnabled",
            true,
            "Accept CMCD v2 reports on /cmcd; when false /cmcd answers 410 (players stop sending).");
}
