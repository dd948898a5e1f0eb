package io.eventsink.service.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events waiting for a batch, packed within a writer's entry and byte limits. Not thread-safe:
 * the pipeline calls it under its lock.
 */
final class BatchPacker {

    private final ArrayDeque<PendingEvent> waiting = new ArrayDeque<>();
    private final int maxEntries;
    private final int maxBytes;
    private final Consumer<PendingEvent> onExpired;
    private long bytes;

    /**
     * @param onExpired told about each event found past its deadline; such events are left out
     */
    BatchPacker(int maxEntries, int maxBytes, Consumer<PendingEvent> onExpired) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.onExpired = onExpired;
    }

    /** Queues a new event behind the others, noting when it started waiting. */
    void addLast(PendingEvent p, long nowNanos) {
        p.queuedAtNanos = nowNanos;
        waiting.addLast(p);
        bytes += p.size();
    }

    /** Queues an event to be retried ahead of the others. */
    void addFirst(PendingEvent p, long nowNanos) {
        p.queuedAtNanos = nowNanos;
        waiting.addFirst(p);
        bytes += p.size();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Whether the waiting events fill a batch, by entries or by bytes. */
    boolean full() {
        return waiting.size() >= maxEntries || bytes >= maxBytes;
    }

    /** When the event that has waited longest started waiting; only when not empty. */
    long oldestQueuedAtNanos() {
        return waiting.getFirst().queuedAtNanos;
    }

    /**
     * The next batch, oldest first: up to the entry limit, and up to the byte limit unless its first
     * event alone is larger (the writer decides about that one). Expired events are reported and
     * left out. Empty when nothing (unexpired) is waiting.
     */
    List<PendingEvent> take(long nowNanos) {
        List<PendingEvent> batch = new ArrayList<>(Math.min(maxEntries, waiting.size()));
        int batchBytes = 0;
        PendingEvent next;
        while (batch.size() < maxEntries && (next = waiting.peekFirst()) != null) {
            if (!batch.isEmpty() && batchBytes + next.size() > maxBytes) {
                break;
            }
            waiting.pollFirst();
            bytes -= next.size();
            if (next.expiredAt(nowNanos)) {
                onExpired.accept(next);
                continue;
            }
            batch.add(next);
            batchBytes += next.size();
        }
        return batch;
    }

    /** Everything still waiting, which leaves the packer empty. */
    List<PendingEvent> takeAll() {
        List<PendingEvent> all = new ArrayList<>(waiting);
        waiting.clear();
        bytes = 0;
        return all;
    }
}
