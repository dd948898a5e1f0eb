package io.eventsink.settings;

import java.util.List;

/**
 * Where events go and in what form: the queue (the operator sets it from the queue it manages) and the format of its
 * messages (the EventSink's {@code spec.queue}). Read through {@link ServiceSettings}.
 */
interface SqsSettings {
    Setting QUEUE_TYPE = Setting.text(
            "QUEUE_TYPE",
            null,
            null,
            "(?i)sqs|stdout",
            "SQS, or stdout (one JSON line per event; logs go to stderr). Default: SQS when SQS_QUEUE_URL is set.");
    Setting SQS_QUEUE_URL = Setting.text("SQS_QUEUE_URL", null, null, "https?://\\S+", "The queue events go to.");
    Setting SQS_ENDPOINT = Setting.text(
            "SQS_ENDPOINT",
            null,
            null,
            "https?://\\S+",
            "Endpoint override: ElasticMQ, LocalStack, a FIPS or VPC endpoint.");
    Setting AWS_REGION = Setting.text(
            "AWS_REGION",
            null,
            null,
            "[a-z0-9-]+",
            "SQS region (QUEUE_REGION is read too). Default: the region in the queue URL, else us-east-1.");

    Setting SQS_MESSAGE_FORMAT = Setting.choice(
            "SQS_MESSAGE_FORMAT",
            "queue.messageFormat",
            "event",
            List.of("event", "packed"),
            "event: one event per SQS message (the EPAS worker contract); packed: many events per message as"
                    + " NDJSON (docs/queue-format.md), for a fraction of the SQS requests.");
    /** SQS bills each 64 KiB of a request's payload as one request: packs fill whole units. */
    int SQS_BILLING_UNIT_BYTES = 65_536;

    Setting SQS_PACK_MAX_BYTES = Setting.multiple(
            "SQS_PACK_MAX_BYTES",
            "queue.pack.maxBytes",
            SQS_BILLING_UNIT_BYTES,
            SQS_BILLING_UNIT_BYTES,
            1_048_576,
            SQS_BILLING_UNIT_BYTES,
            "bytes",
            "Packed format: largest message, body plus attributes, in whole 64 KiB billing units (SQS takes"
                    + " up to 1 MiB; the queue's MaximumMessageSize must allow it: the operator sets it on the queues"
                    + " it creates).");
    Setting SQS_PACK_LINGER_MS = Setting.integer(
            "SQS_PACK_LINGER_MS",
            "queue.pack.lingerMs",
            100,
            0,
            1000,
            "ms",
            "Packed format: how long a pack may wait to fill once the sink is busy; an idle sink sends at once.");
    Setting SQS_PACK_COMPRESSION = Setting.choice(
            "SQS_PACK_COMPRESSION",
            "queue.pack.compression",
            "none",
            List.of("none", "gzip"),
            "Packed format: none, or gzip (the body is base64 of the gzip stream; ContentEncoding=gzip).");
}
