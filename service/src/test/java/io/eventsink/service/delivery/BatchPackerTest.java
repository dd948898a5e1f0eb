package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchPackerTest {

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
    void takesUpToTheEntryLimitAndLeavesTheRest() {
        BatchPacker packer = new BatchPacker(3, 1 << 20, expired::add);
        for (int i = 0; i < 5; i++) {
            packer.addLast(event("e" + i, 10), System.nanoTime());
        }
        assertThat(packer.full()).isTrue();
        assertThat(packer.take(System.nanoTime())).hasSize(3);
        assertThat(packer.full()).isFalse();
        assertThat(packer.take(System.nanoTime())).hasSize(2);
        assertThat(packer.isEmpty()).isTrue();
        assertThat(packer.take(System.nanoTime())).isEmpty();
    }

    @Test
    void anEventThatWouldOverflowTheByteLimitGoesFirstIntoTheNextBatch() {
        int limit = 3 * (100 + PendingEvent.ATTRIBUTE_OVERHEAD_BYTES);
        BatchPacker packer = new BatchPacker(10, limit, expired::add);
        PendingEvent a = event("a", 100), b = event("b", 100), big = event("big", 1000), c = event("c", 100);
        for (PendingEvent p : List.of(a, b, big, c)) {
            packer.addLast(p, System.nanoTime());
        }
        // four events, but their bytes fill a batch
        assertThat(packer.full()).isTrue();
        assertThat(packer.take(System.nanoTime())).containsExactly(a, b);
        // alone, an event larger than the limit still goes (the writer decides about it)
        assertThat(packer.take(System.nanoTime())).containsExactly(big);
        assertThat(packer.full()).isFalse();
        assertThat(packer.take(System.nanoTime())).containsExactly(c);
    }

    @Test
    void expiredEventsAreReportedAndLeftOut() {
        BatchPacker packer = new BatchPacker(10, 1 << 20, expired::add);
        PendingEvent late = event("late", 10, System.nanoTime() - 1);
        PendingEvent fresh = event("fresh", 10);
        packer.addLast(late, System.nanoTime());
        packer.addLast(fresh, System.nanoTime());
        assertThat(packer.take(System.nanoTime())).containsExactly(fresh);
        assertThat(expired).containsExactly(late);
    }

    @Test
    void aRetryGoesFirstAndTheOldestWaitIsTheHeadsOwn() {
        BatchPacker packer = new BatchPacker(10, 1 << 20, expired::add);
        PendingEvent first = event("first", 10), retried = event("retried", 10);
        packer.addLast(first, 100);
        packer.addFirst(retried, 200);
        assertThat(packer.oldestQueuedAtNanos()).isEqualTo(200);
        assertThat(packer.take(System.nanoTime())).containsExactly(retried, first);
    }

    @Test
    void takeAllEmptiesThePacker() {
        BatchPacker packer = new BatchPacker(2, 1 << 20, expired::add);
        for (int i = 0; i < 3; i++) {
            packer.addLast(event("e" + i, 10), System.nanoTime());
        }
        assertThat(packer.takeAll()).hasSize(3);
        assertThat(packer.isEmpty()).isTrue();
        assertThat(packer.full()).isFalse();
    }
}
