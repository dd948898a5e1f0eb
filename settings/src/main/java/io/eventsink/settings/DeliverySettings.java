package io.eventsink.settings;

/** How accepted events are delivered to the queue. Read through {@link ServiceSettings}. */
interface DeliverySettings {
    Setting MAX_PENDING_EVENTS = Setting.integer(
            "MAX_PENDING_EVENTS",
            "config.maxPendingEvents",
            10_000,
            1,
            1_000_000,
            null,
            "Events accepted but not yet stored in SQS; when full, new events get 503 at once.");
    Setting BATCH_LINGER_MS = Setting.integer(
            "BATCH_LINGER_MS",
            "config.batchLingerMs",
            2,
            0,
            1000,
            "ms",
            "While batches are in flight, how long the next one waits to fill; an idle sink sends at once.");
    Setting MAX_INFLIGHT_BATCHES = Setting.integer(
            "MAX_INFLIGHT_BATCHES",
            "config.maxInflightBatches",
            32,
            1,
            1024,
            null,
            "Concurrent SendMessageBatch calls per pod.");
    Setting DELIVERY_TIMEOUT_MS = Setting.integer(
            "DELIVERY_TIMEOUT_MS",
            "config.deliveryTimeoutMs",
            5000,
            100,
            60_000,
            "ms",
            "An event not stored in SQS within this time gets 503.");
}
