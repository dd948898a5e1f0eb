package io.eventsink.service.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What waits for a call: events being packed, and sealed messages. Decides when a call is due (group
 * commit): with nothing on the wire at once; otherwise when a call's worth has gathered or the oldest
 * sealed message has waited the packing's call linger. Not thread-safe: used under the pipeline's lock.
 */
final class Outbox {

    private final Packing packing;
    private final int maxMessages;
    private final int maxCallBytes;
    private final Consumer<PendingEvent> onExpired;
    private final ArrayDeque<OutboundMessage> sealed = new ArrayDeque<>();

    /**
     * @param onExpired told about each event found past its deadline when its call is made; such
     *                  events are left out
     */
    Outbox(Packing packing, int maxMessages, int maxCallBytes, Consumer<PendingEvent> onExpired) {
        this.packing = packing;
        this.maxMessages = maxMessages;
        this.maxCallBytes = maxCallBytes;
        this.onExpired = onExpired;
    }

    void add(PendingEvent p, long nowNanos, boolean nothingInFlight) {
        packing.add(p, nowNanos, nothingInFlight, sealed);
    }

    void addRetried(List<PendingEvent> events, long nowNanos) {
        packing.addRetried(events, nowNanos, sealed);
    }

    void addAlone(List<PendingEvent> events, long nowNanos) {
        packing.addAlone(events, nowNanos, sealed);
    }

    boolean isEmpty() {
        return sealed.isEmpty() && packing.sealDeadlineNanos(false) == Packing.NO_DEADLINE;
    }

    /** The next call, if one is due now with {@code inflight} calls on the wire; else null. */
    List<OutboundMessage> takeDue(long nowNanos, int inflight) {
        packing.sealDue(nowNanos, inflight == 0, sealed);
        if (sealed.isEmpty()) {
            return null;
        }
        if (inflight > 0 && !fullCall() && nowNanos - sealed.getFirst().sealedNanos() < packing.callLingerNanos()) {
            return null;
        }
        return takeCall(nowNanos);
    }

    /** The next call whatever the lingers say (writers that write inline); empty when nothing waits. */
    List<OutboundMessage> takeAny(long nowNanos) {
        packing.sealAll(nowNanos, sealed);
        return sealed.isEmpty() ? List.of() : takeCall(nowNanos);
    }

    /** The earliest time something may fall due with {@code inflight} calls on the wire, or {@link Packing#NO_DEADLINE}. */
    long nextDueNanos(int inflight) {
        long due = packing.sealDeadlineNanos(inflight == 0);
        if (!sealed.isEmpty()) {
            due = Math.min(due, sealed.getFirst().sealedNanos() + packing.callLingerNanos());
        }
        return due;
    }

    /** Everything still waiting, sealed or not; the outbox is then empty. */
    List<PendingEvent> takeAll() {
        List<PendingEvent> all = new ArrayList<>();
        for (OutboundMessage m : sealed) {
            all.addAll(m.events());
        }
        sealed.clear();
        all.addAll(packing.takeUnsealed());
        return all;
    }

    private boolean fullCall() {
        if (sealed.size() >= maxMessages) {
            return true;
        }
        long bytes = 0;
        for (OutboundMessage m : sealed) {
            bytes += m.bytes();
            if (bytes >= maxCallBytes) {
                return true;
            }
        }
        return false;
    }

    /**
     * Oldest first, up to the message and byte limits (a first message larger than the byte limit
     * goes alone: the queue decides about it). Expired events are reported and left out; empty when
     * everything taken had expired.
     */
    private List<OutboundMessage> takeCall(long nowNanos) {
        List<OutboundMessage> call = new ArrayList<>(Math.min(maxMessages, sealed.size()));
        long bytes = 0;
        OutboundMessage next;
        while (call.size() < maxMessages && (next = sealed.peekFirst()) != null) {
            if (!call.isEmpty() && bytes + next.bytes() > maxCallBytes) {
                break;
            }
            sealed.pollFirst();
            OutboundMessage live = withoutExpired(next, nowNanos);
            if (live != null) {
                call.add(live);
                bytes += live.bytes();
            }
        }
        return call;
    }

    private OutboundMessage withoutExpired(OutboundMessage m, long nowNanos) {
        if (!m.anyExpiredAt(nowNanos)) {
            return m;
        }
        List<PendingEvent> live = new ArrayList<>(m.events().size());
        for (PendingEvent p : m.events()) {
            if (p.expiredAt(nowNanos)) {
                onExpired.accept(p);
            } else {
                live.add(p);
            }
        }
        return live.isEmpty() ? null : packing.seal(live, m.sealedNanos());
    }
}
