package io.eventsink.service.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Packs waiting events into batches within a writer's entry and byte limits. */
final class BatchPacker {

    private final LinkedBlockingDeque<PendingEvent> waiting;
    private final int maxEntries;
    private final int maxBytes;
    private final Consumer<PendingEvent> onExpired;

    /**
     * @param onExpired told about each event found past its deadline; such events are left out
     */
    BatchPacker(
            LinkedBlockingDeque<PendingEvent> waiting, int maxEntries, int maxBytes, Consumer<PendingEvent> onExpired) {
        this.waiting = waiting;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.onExpired = onExpired;
    }

    /**
     * The next batch: waits up to {@code firstWaitNanos} for a first event, then takes more until
     * the batch is full or none arrives within {@code linger} (asked once the first event is in
     * hand, so it reflects the load at that moment) of the first. An event that
     * would overflow the byte limit goes back to the front for the next batch. Empty when nothing
     * arrived in time.
     */
    List<PendingEvent> next(long firstWaitNanos, LongSupplier linger) throws InterruptedException {
        List<PendingEvent> batch = new ArrayList<>(maxEntries);
        int bytes = 0;
        long lingerUntil = 0;
        while (batch.size() < maxEntries) {
            PendingEvent next;
            if (batch.isEmpty()) {
                next = firstWaitNanos > 0
                        ? waiting.pollFirst(firstWaitNanos, TimeUnit.NANOSECONDS)
                        : waiting.pollFirst();
                if (next == null) {
                    return batch;
                }
                lingerUntil = System.nanoTime() + linger.getAsLong();
            } else {
                long wait = lingerUntil - System.nanoTime();
                next = wait > 0 ? waiting.pollFirst(wait, TimeUnit.NANOSECONDS) : waiting.pollFirst();
                if (next == null) {
                    return batch;
                }
            }
            if (next.expiredAt(System.nanoTime())) {
                onExpired.accept(next);
                continue;
            }
            if (!batch.isEmpty() && bytes + next.size() > maxBytes) {
                waiting.offerFirst(next);
                return batch;
            }
            batch.add(next);
            bytes += next.size();
        }
        return batch;
    }
}
