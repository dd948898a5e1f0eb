package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When calls are due and what they carry, in the event format (one event per message). */
class OutboxTest {

    private static final long LINGER = TimeUnit.SECONDS.toNanos(30);
    private final List<PendingEvent> expired = new ArrayList<>();
    private final EventPerMessage packing = new EventPerMessage(Duration.ofNanos(LINGER));

    private PendingEvent event(String id, int bytes, long deadlineNanos) {
        PendingEvent p = new PendingEvent(
                new QueuedEvent("{\"id\":\"" + id + "\"}", "heartbeat", "1", 0, null, null, null, bytes),
                deadlineNanos);
        packing.prepare(p);
        return p;
    }

    private PendingEvent event(String id, int bytes) {
        return event(id, bytes, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    }

    private static List<PendingEvent> events(List<OutboundMessage> call) {
        return call.stream().flatMap(m -> m.events().stream()).toList();
    }

    @Test
    void takesUpToTheMessageLimitAndLeavesTheRest() {
        Outbox outbox = new Outbox(packing, 3, 1 << 20, expired::add);
        for (int i = 0; i < 5; i++) {
            outbox.add(event("e" + i, 10), System.nanoTime(), false);
        }
        assertThat(outbox.takeAny(System.nanoTime())).hasSize(3);
        assertThat(outbox.takeAny(System.nanoTime())).hasSize(2);
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.takeAny(System.nanoTime())).isEmpty();
    }

    @Test
    void withCallsInFlightACallIsDueWhenFullOrWhenItsOldestHasWaitedTheLinger() {
        Outbox outbox = new Outbox(packing, 3, 1 << 20, expired::add);
        long t0 = System.nanoTime();
        outbox.add(event("a", 10), t0, false);
        outbox.add(event("b", 10), t0, false);
        assertThat(outbox.takeDue(t0, 1)).as("two of three, linger not over").isNull();
        assertThat(outbox.nextDueNanos(1)).isEqualTo(t0 + LINGER);
        assertThat(outbox.takeDue(t0, 0)).as("nothing in flight: at once").hasSize(2);

        outbox.add(event("c", 10), t0, false);
        assertThat(outbox.takeDue(t0 + LINGER - 1, 1)).isNull();
        assertThat(outbox.takeDue(t0 + LINGER, 1)).as("the linger is over").hasSize(1);

        for (int i = 0; i < 3; i++) {
            outbox.add(event("f" + i, 10), t0, false);
        }
        assertThat(outbox.takeDue(t0, 1)).as("full").hasSize(3);
    }

    @Test
    void aMessageThatWouldOverflowTheByteLimitGoesFirstIntoTheNextCall() {
        PendingEvent a = event("a", 100), b = event("b", 100), big = event("big", 1000), c = event("c", 100);
        Outbox outbox = new Outbox(packing, 10, 3 * a.encodedBytes, expired::add);
        for (PendingEvent p : List.of(a, b, big, c)) {
            outbox.add(p, System.nanoTime(), false);
        }
        // four messages, but their bytes fill a call: due at once though calls are in flight
        assertThat(events(outbox.takeDue(System.nanoTime(), 1))).containsExactly(a, b);
        // alone, a message larger than the limit still goes (the queue decides about it)
        assertThat(events(outbox.takeAny(System.nanoTime()))).containsExactly(big);
        assertThat(events(outbox.takeAny(System.nanoTime()))).containsExactly(c);
    }

    @Test
    void expiredEventsAreReportedAndLeftOut() {
        Outbox outbox = new Outbox(packing, 10, 1 << 20, expired::add);
        PendingEvent late = event("late", 10, System.nanoTime() - 1);
        PendingEvent fresh = event("fresh", 10);
        outbox.add(late, System.nanoTime(), false);
        outbox.add(fresh, System.nanoTime(), false);
        assertThat(events(outbox.takeAny(System.nanoTime()))).containsExactly(fresh);
        assertThat(expired).containsExactly(late);
    }

    @Test
    void retriedEventsGoFirstAndTheirLingerStartsAgain() {
        Outbox outbox = new Outbox(packing, 10, 1 << 20, expired::add);
        PendingEvent first = event("first", 10), retried = event("retried", 10);
        outbox.add(first, 100, false);
        outbox.addRetried(List.of(retried), 200);
        assertThat(outbox.nextDueNanos(1)).isEqualTo(200 + LINGER);
        assertThat(events(outbox.takeAny(System.nanoTime()))).containsExactly(retried, first);
    }

    @Test
    void takeAllEmptiesTheOutbox() {
        Outbox outbox = new Outbox(packing, 2, 1 << 20, expired::add);
        for (int i = 0; i < 3; i++) {
            outbox.add(event("e" + i, 10), System.nanoTime(), false);
        }
        assertThat(outbox.takeAll()).hasSize(3);
        assertThat(outbox.isEmpty()).isTrue();
        assertThat(outbox.takeAny(System.nanoTime())).isEmpty();
    }
}
