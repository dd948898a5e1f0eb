package io.eventsink.service.delivery.sqs;

import io.eventsink.service.delivery.format.QueueMessage;
import io.eventsink.service.metrics.Meters;
import io.eventsink.settings.ServiceSettings;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import java.util.List;

/**
 * What the queue bills: SQS counts every call as a request, and each 64 KiB of a call's payload
 * (message bodies plus attribute names, types and values) as one more. Also the events per message
 * and the payload bytes, from which a dashboard derives requests and bytes per event.
 */
public final class SqsMeters {

    /** SQS bills each started 64 KiB of a request's payload as one request. */
    private static final int BILLING_UNIT_BYTES = ServiceSettings.SQS_BILLING_UNIT_BYTES;

    private final Counter billedRequests;
    private final Counter payloadBytes;
    private final DistributionSummary messageEvents;

    public SqsMeters(MeterRegistry registry) {
        this(Meters.of(registry));
    }

    public SqsMeters(Meters registry) {
        this.billedRequests = registry.getOrCreate(Counter.builder("eventsink.sqs.billed.requests")
                .description("SQS requests as billed: each call, its payload (message bodies and attributes)"
                        + " counted in 64 KiB units, at least one"));
        this.payloadBytes = registry.getOrCreate(Counter.builder("eventsink.sqs.payload.bytes")
                .description("Payload bytes of the messages sent to SQS: bodies and attributes"));
        this.messageEvents = registry.getOrCreate(DistributionSummary.builder("eventsink.sqs.message.events")
                .description("Events per SQS message sent")
                .distributionStatisticsConfig(DistributionStatisticsConfig.builder()
                        .buckets(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)));
    }

    /** The meters of the JVM's registry, as the service reports them. */
    public static SqsMeters global() {
        return new SqsMeters(Metrics.globalRegistry());
    }

    /** The requests a call of this payload is billed as. */
    public static int billedRequests(long payloadBytes) {
        return (int) Math.max(1, (payloadBytes + BILLING_UNIT_BYTES - 1) / BILLING_UNIT_BYTES);
    }

    /** A SendMessageBatch the queue answered. */
    void sent(List<QueueMessage> batch) {
        long bytes = 0;
        for (QueueMessage m : batch) {
            bytes += m.payloadBytes();
            messageEvents.record(m.eventCount());
        }
        payloadBytes.increment(bytes);
        billedRequests.increment(billedRequests(bytes));
    }

    /** A call without messages (the reachability probe) the queue answered. */
    void called() {
        billedRequests.increment();
    }
}
