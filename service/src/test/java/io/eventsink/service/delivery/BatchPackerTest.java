package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchPackerTest {

    private final LinkedBlockingDeque<PendingEvent> waiting = new LinkedBlockingDeque<>();
    private final List<PendingEvent> expired = new ArrayList<>();

    private static PendingEvent event(String id, int bytes, long deadlineNanos) {
        return new PendingEvent(
                new QueuedEvent("{\"id\":\"" + id + "\"}", "heartbeat", "1", 0, null, null, null, bytes),
                deadlineNanos);
    }

    private static PendingEvent event(String id, int bytes) {
        return event(id, bytes, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    }

    @Test
    void takesUpToTheEntryLimitAndLeavesTheRest() throws InterruptedException {
        BatchPacker packer = new BatchPacker(waiting, 3, 1 << 20, expired::add);
        for (int i = 0; i < 5; i++) {
            waiting.add(event("e" + i, 10));
        }
        assertThat(packer.next(0, () -> 0)).hasSize(3);
        assertThat(packer.next(0, () -> 0)).hasSize(2);
        assertThat(packer.next(0, () -> 0)).isEmpty();
    }

    @Test
    void anEventThatWouldOverflowTheByteLimitGoesFirstIntoTheNextBatch() throws InterruptedException {
        int limit = 3 * (100 + PendingEvent.ATTRIBUTE_OVERHEAD_BYTES);
        BatchPacker packer = new BatchPacker(waiting, 10, limit, expired::add);
        PendingEvent a = event("a", 100), b = event("b", 100), big = event("big", 1000), c = event("c", 100);
        waiting.addAll(List.of(a, b, big, c));
        assertThat(packer.next(0, () -> 0)).containsExactly(a, b);
        // alone, an event larger than the limit still goes (the writer decides about it)
        assertThat(packer.next(0, () -> 0)).containsExactly(big);
        assertThat(packer.next(0, () -> 0)).containsExactly(c);
    }

    @Test
    void expiredEventsAreReportedAndLeftOut() throws InterruptedException {
        BatchPacker packer = new BatchPacker(waiting, 10, 1 << 20, expired::add);
        PendingEvent late = event("late", 10, System.nanoTime() - 1);
        PendingEvent fresh = event("fresh", 10);
        waiting.addAll(List.of(late, fresh));
        assertThat(packer.next(0, () -> 0)).containsExactly(fresh);
        assertThat(expired).containsExactly(late);
    }

    @Test
    void lingersForEventsThatArriveWhileTheBatchIsOpen() throws InterruptedException {
        BatchPacker packer = new BatchPacker(waiting, 10, 1 << 20, expired::add);
        waiting.add(event("first", 10));
        Thread producer = Thread.ofVirtual().start(() -> waiting.add(event("second", 10)));
        List<PendingEvent> batch = packer.next(0, () -> TimeUnit.SECONDS.toNanos(5));
        producer.join();
        // the batch closes when the linger ends or it is full; here the second arrives within the linger
        assertThat(batch).extracting(p -> p.event.json()).contains("{\"id\":\"first\"}", "{\"id\":\"second\"}");
    }

    @Test
    void waitsForAFirstEventOnlyAsLongAsAsked() throws InterruptedException {
        BatchPacker packer = new BatchPacker(waiting, 10, 1 << 20, expired::add);
        assertThat(packer.next(TimeUnit.MILLISECONDS.toNanos(1), () -> 0)).isEmpty();
    }
}
