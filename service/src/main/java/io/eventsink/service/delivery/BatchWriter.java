package io.eventsink.service.delivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Writes batches of events to one destination (SQS, stdout). */
public interface BatchWriter extends AutoCloseable {

    /** Most entries one write may carry. */
    int maxBatchEntries();

    /** Most payload bytes one write may carry. */
    int maxBatchBytes();

    /**
     * Writes a batch. The future completes with one outcome per event, in order, or fails as a
     * whole when the destination could not be reached (then every event is retried).
     */
    CompletableFuture<List<EntryOutcome>> write(List<QueuedEvent> batch);

    /**
     * True when {@link #write} has finished the write when it returns (stdout): the pipeline then
     * lets request threads write directly instead of handing batches to its dispatcher.
     */
    default boolean synchronous() {
        return false;
    }

    /** A cheap call that succeeds only when the destination is reachable, used while unhealthy. */
    CompletableFuture<Void> probe();

    /** A short name for logs and health details. */
    String describe();

    @Override
    void close();

    /** What happened to one entry of a batch. */
    enum EntryOutcome {
        /** Stored by the destination. */
        DELIVERED,
        /** Failed for a reason that may pass on retry (throttling, internal error). */
        RETRY,
        /** Refused for good (the destination says the message itself is wrong). */
        REJECTED
    }
}
