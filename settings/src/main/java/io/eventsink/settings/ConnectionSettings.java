package io.eventsink.settings;

/** Protection against slow, stalled and too many clients. Read through {@link ServiceSettings}. */
interface ConnectionSettings {
    Setting MAX_CONCURRENT_REQUESTS = Setting.integer(
            "MAX_CONCURRENT_REQUESTS",
            "config.maxConcurrentRequests",
            1000,
            1,
            100_000,
            null,
            "Requests being processed at once (counted once their body has arrived); more get 503 at once.");
    /** Read by service code that needs the bound as a constant. */
    int MAX_CONNECTIONS_MIN = 16;

    Setting MAX_CONNECTIONS = Setting.integer(
            "MAX_CONNECTIONS",
            "config.maxConnections",
            20_000,
            MAX_CONNECTIONS_MIN,
            1_000_000,
            null,
            "Open connections on the public port; beyond it new ones get 503 at accept. Lowered to what the heap holds"
                    + " (about 24 KiB each).");
    Setting REQUEST_HEAD_TIMEOUT_MS = Setting.integer(
            "REQUEST_HEAD_TIMEOUT_MS",
            "config.requestHeadTimeoutMs",
            10_000,
            100,
            300_000,
            "ms",
            "A request head must arrive within this time of its first byte; else 408 and the connection closes.");
    Setting REQUEST_BODY_TIMEOUT_MS = Setting.integer(
            "REQUEST_BODY_TIMEOUT_MS",
            "config.requestBodyTimeoutMs",
            10_000,
            100,
            300_000,
            "ms",
            "A request body must arrive within this time of its first byte; else 408 and the connection closes.");
    Setting RESPONSE_SEND_TIMEOUT_MS = Setting.integer(
            "RESPONSE_SEND_TIMEOUT_MS",
            "config.responseSendTimeoutMs",
            10_000,
            100,
            300_000,
            "ms",
            "An answer must be taken by the client within this time of its write starting; else the connection closes.");
    /** The default is above the 60 s idle timeout of AWS load balancers and nginx, so the balancer closes first. */
    Setting IDLE_CONNECTION_TIMEOUT_MS = Setting.integer(
            "IDLE_CONNECTION_TIMEOUT_MS",
            "config.idleConnectionTimeoutMs",
            75_000,
            1000,
            3_600_000,
            "ms",
            "A keep-alive connection with no request for this long is closed.");
}
