package io.eventsink.service.delivery;

import io.eventsink.service.delivery.format.GzipBase64;
import io.eventsink.service.delivery.format.MessageFormat;
import io.eventsink.service.delivery.format.PackedLines;
import io.eventsink.service.delivery.format.QueueMessage;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The packed format: events are packed into NDJSON messages ({@link PackedLines}) of at most the
 * configured size, body and attributes together, so each message fills whole 64 KiB billing units.
 *
 * <p>When a pack goes: at once when full; a lone event on an idle sink (nothing sent nor arrived for
 * a linger) at once; otherwise when its first event has waited the linger, or earlier, between calls,
 * once events stop arriving — quiet for several times the usual gap between them. That last rule is
 * what keeps clients that wait for their answer (each holding one event in the pack) from waiting out
 * the linger for events that cannot come.
 *
 * <p>With gzip the encoded size is known only after compressing, which the sender does outside the
 * lock: packs are cut by an estimate from the ratio seen so far, and a pack that still comes out too
 * large is split in two.
 */
final class PackedMessages implements Packing {

    /** Room kept for the estimate's error: compressibility varies from pack to pack. */
    private static final double GZIP_MARGIN = 0.92;
    /** Quiet: this many times the usual gap between arrivals... */
    private static final int QUIET_GAPS = 8;
    /** ... and never less than this, so a scheduling hiccup does not cut a pack short. */
    private static final long QUIET_MIN_NANOS = 1_000_000;

    private final int maxBytes;
    private final int bodyLimit;
    private final long lingerNanos;
    private final boolean gzip;
    /** Encoded bytes per raw byte of the packs compressed so far (written by senders, read under the lock). */
    private volatile double gzipRatio = 0.5;

    private List<PendingEvent> open = new ArrayList<>();
    private int openBytes;
    private long openSinceNanos;
    private long lastArrivalNanos;
    /** The usual gap between arrivals (moving average, each gap counted at most as a linger). */
    private double meanGapNanos;

    PackedMessages(MessageFormat format) {
        this.maxBytes = format.packMaxBytes();
        this.gzip = format.gzip();
        this.bodyLimit = maxBytes - (gzip ? PackedLines.GZIP_ATTRIBUTE_BYTES_MAX : PackedLines.ATTRIBUTE_BYTES_MAX);
        this.lingerNanos = format.packLinger().toNanos();
        this.lastArrivalNanos = System.nanoTime() - lingerNanos - 1;
        this.meanGapNanos = lingerNanos;
    }

    @Override
    public void prepare(PendingEvent p) {
        String line = PackedLines.line(p.event);
        p.encoded = line;
        p.encodedBytes = PackedLines.lineBytes(p.event, line);
    }

    @Override
    public void add(PendingEvent p, long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed) {
        if (!open.isEmpty() && !fits(openBytes + p.encodedBytes)) {
            sealOpen(nowNanos, sealed);
        }
        if (open.isEmpty()) {
            openSinceNanos = nowNanos;
        }
        long gap = nowNanos - lastArrivalNanos;
        lastArrivalNanos = nowNanos;
        meanGapNanos = 0.9 * meanGapNanos + 0.1 * Math.min(gap, lingerNanos);
        open.add(p);
        openBytes += p.encodedBytes;
        boolean idle = nothingInFlight && gap > lingerNanos;
        // full: another event like this one would not fit
        if (idle || !fits(openBytes + p.encodedBytes)) {
            sealOpen(nowNanos, sealed);
        }
    }

    @Override
    public void addRetried(List<PendingEvent> events, long nowNanos, Deque<OutboundMessage> sealed) {
        List<OutboundMessage> packs = new ArrayList<>();
        List<PendingEvent> pack = new ArrayList<>();
        int bytes = 0;
        for (PendingEvent p : events) {
            if (!pack.isEmpty() && !fits(bytes + p.encodedBytes)) {
                packs.add(seal(pack, bytes, nowNanos));
                pack = new ArrayList<>();
                bytes = 0;
            }
            pack.add(p);
            bytes += p.encodedBytes;
        }
        packs.add(seal(pack, bytes, nowNanos));
        for (int i = packs.size() - 1; i >= 0; i--) {
            sealed.addFirst(packs.get(i));
        }
    }

    @Override
    public void sealDue(long nowNanos, boolean nothingInFlight, Deque<OutboundMessage> sealed) {
        if (!open.isEmpty() && nowNanos - sealDeadlineNanos(nothingInFlight) >= 0) {
            sealOpen(nowNanos, sealed);
        }
    }

    @Override
    public void sealAll(long nowNanos, Deque<OutboundMessage> sealed) {
        if (!open.isEmpty()) {
            sealOpen(nowNanos, sealed);
        }
    }

    @Override
    public long sealDeadlineNanos(boolean nothingInFlight) {
        if (open.isEmpty()) {
            return NO_DEADLINE;
        }
        long lingerEnd = openSinceNanos + lingerNanos;
        if (!nothingInFlight) {
            return lingerEnd;
        }
        long quietEnd = lastArrivalNanos + Math.max(QUIET_MIN_NANOS, (long) (QUIET_GAPS * meanGapNanos));
        return quietEnd - lingerEnd < 0 ? quietEnd : lingerEnd;
    }

    @Override
    public long callLingerNanos() {
        return 0; // a sealed pack is worth a call of its own: the bill counts bytes, not calls
    }

    @Override
    public List<PendingEvent> takeUnsealed() {
        List<PendingEvent> all = open;
        open = new ArrayList<>();
        openBytes = 0;
        return all;
    }

    @Override
    public OutboundMessage seal(List<PendingEvent> events, long nowNanos) {
        int raw = 0;
        for (PendingEvent p : events) {
            raw += p.encodedBytes;
        }
        return seal(events, raw, nowNanos);
    }

    private OutboundMessage seal(List<PendingEvent> events, int rawBytes, long nowNanos) {
        return new OutboundMessage(events, estimate(rawBytes) + maxBytes - bodyLimit, nowNanos, null);
    }

    @Override
    public List<OutboundMessage> encode(OutboundMessage sealed) {
        List<PendingEvent> events = sealed.events();
        StringBuilder body = new StringBuilder(sealed.bytes() + 256);
        int raw = 0;
        for (PendingEvent p : events) {
            body.append((String) p.encoded);
            raw += p.encodedBytes;
        }
        if (!gzip) {
            QueueMessage wire =
                    QueueMessage.of(body.toString(), raw, PackedLines.attributes(events.size(), false), events.size());
            return List.of(new OutboundMessage(events, wire.payloadBytes(), sealed.sealedNanos(), wire));
        }
        String encoded = GzipBase64.encode(body.toString());
        gzipRatio = 0.7 * gzipRatio + 0.3 * ((double) encoded.length() / raw);
        QueueMessage wire =
                QueueMessage.of(encoded, encoded.length(), PackedLines.attributes(events.size(), true), events.size());
        if (wire.payloadBytes() <= maxBytes || events.size() == 1) {
            return List.of(new OutboundMessage(events, wire.payloadBytes(), sealed.sealedNanos(), wire));
        }
        int half = events.size() / 2;
        List<OutboundMessage> parts = new ArrayList<>(encode(seal(events.subList(0, half), sealed.sealedNanos())));
        parts.addAll(encode(seal(events.subList(half, events.size()), sealed.sealedNanos())));
        return parts;
    }

    private void sealOpen(long nowNanos, Deque<OutboundMessage> sealed) {
        sealed.addLast(seal(open, openBytes, nowNanos));
        open = new ArrayList<>();
        openBytes = 0;
    }

    private boolean fits(int rawBytes) {
        return estimate(rawBytes) <= bodyLimit;
    }

    /** The body's size once encoded: exact without compression, estimated with. */
    private int estimate(int rawBytes) {
        return gzip ? (int) Math.ceil(rawBytes * gzipRatio / GZIP_MARGIN) : rawBytes;
    }
}
