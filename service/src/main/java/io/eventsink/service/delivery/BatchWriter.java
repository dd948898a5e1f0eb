package io.eventsink.service.delivery;

import io.eventsink.service.delivery.format.QueueMessage;
import java.util.List;

/**
 * Writes batches of queue messages to one destination (SQS, stdout). Calls block the calling thread, which
 * is a virtual thread for network writers, so a write in flight costs no platform thread.
 */
public interface BatchWriter extends AutoCloseable {

    /** Most messages one write may carry. */
    int maxBatchEntries();

    /** Most payload bytes (bodies and attributes) one write may carry. */
    int maxBatchBytes();

    /**
     * Writes a batch and returns one outcome per message, in order. Throws {@link WriteFailure} when
     * the call as a whole failed (then every message of the batch may be retried).
     */
    List<EntryOutcome> write(List<QueueMessage> batch) throws WriteFailure;

    /**
     * True when a write is quick local I/O (stdout): the pipeline then lets request threads write
     * for each other instead of handing batches to sender threads.
     */
    default boolean inline() {
        return false;
    }

    /** A cheap call that succeeds only when the destination is reachable, used while unhealthy. */
    void probe() throws WriteFailure;

    /** A short name for logs and health details. */
    String describe();

    @Override
    void close();

    /** What happened to one message of a batch. */
    enum EntryOutcome {
        /** Stored by the destination. */
        DELIVERED,
        /** Failed for a reason that may pass on retry (throttling, internal error). */
        RETRY,
        /** Refused for good (the destination says the message itself is wrong). */
        REJECTED
    }
}
