package io.eventsink.service.cmcd;

import io.eventsink.service.epas.EventType;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Maps one CMCD v2 report to EPAS events, from the report alone (pods scale out: nothing may
 * depend on which pod saw the session before). The table is in docs/cmcd.md. Every event gets
 * {@code sessionId} = {@code sid}, {@code timestamp} = {@code ts}, {@code playhead} = {@code pt}
 * (ms, else -1) and {@code duration} = -1 (CMCD's {@code d} is a segment's duration, not the asset's).
 *
 * <p>Two keys mark a session's life whatever event carries them, because players put them on
 * whichever report comes next: {@code sn=0} (a target's first report: the {@code init} that opens
 * the EPAS session) and {@code msd} (the startup delay, sent once: {@code loaded}).
 */
public final class CmcdToEpas {

    /** The CMCD version this sink reads; reports of a higher one are dropped (CTA-5004-B section 6). */
    static final long VERSION = 2;

    static final int MAX_SID = 64;
    static final int MAX_CID = 128;
    /** The code of an error reported without a usable {@code ec}. */
    static final String UNKNOWN_CODE = "unknown";

    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    /** An EPAS event made from a report, as JSON, with the fields the queue's attributes need. */
    public record EpasEvent(EventType type, String sessionId, String json, String timestampText) {}

    /** Why a report gave no event. The names are the {@code reason} label of the skipped-reports metric. */
    public enum Skip {
        /** {@code e} or {@code ts} missing or not of their type: the report is unusable. */
        UNUSABLE,
        /** {@code v} higher than this sink reads. */
        NEWER_VERSION,
        /** No (valid) {@code sid}: EPAS needs a session id. */
        NO_SESSION_ID,
        /** An event type (or play state) EPAS has no event for. */
        UNMAPPED_EVENT,
        /** A key its event type needs is missing ({@code sta} for ps, {@code br} for bc, {@code cid} for c). */
        MISSING_KEY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What one report came to: its events, and why its own event gave none ({@code skipped}, else
     * null; its {@code init} and {@code loaded} may still be there). {@code missing} names the keys
     * whose absence made the report unusable or sessionless, for the log.
     */
    public record Mapped(List<EpasEvent> events, Skip skipped, String missing) {
        static Mapped skip(Skip why, String missing) {
            return new Mapped(List.of(), why, missing);
        }

        static Mapped of(List<EpasEvent> events) {
            return new Mapped(events, null, null);
        }
    }

    private CmcdToEpas() {}

    public static Mapped map(CmcdReport r) {
        Optional<String> e = r.token("e");
        OptionalLong ts = r.integer("ts");
        if (e.isEmpty() || ts.isEmpty() || ts.getAsLong() < 0) {
            return Mapped.skip(Skip.UNUSABLE, e.isEmpty() ? (ts.isEmpty() ? "e, ts" : "e") : "ts");
        }
        OptionalLong v = r.integer("v");
        if (v.isPresent() && v.getAsLong() > VERSION) {
            return Mapped.skip(Skip.NEWER_VERSION, null);
        }
        Optional<String> sid = r.string("sid", MAX_SID);
        if (sid.isEmpty()) {
            return Mapped.skip(Skip.NO_SESSION_ID, "sid");
        }
        Base base = new Base(sid.get(), ts.getAsLong(), r.number("pt").orElse(-1));
        Mapped own = switch (e.get()) {
            case "ps" -> playState(r, base);
            case "e" -> error(r, base);
            case "bc" -> bitrate(r, base);
            case "t" -> Mapped.of(List.of(base.event(EventType.HEARTBEAT, null)));
            case "c" ->
                r.string("cid", MAX_CID)
                        .map(cid -> Mapped.of(List.of(base.event(EventType.METADATA, g -> g.write("contentId", cid)))))
                        .orElseGet(() -> Mapped.skip(Skip.MISSING_KEY, null));
            default -> Mapped.skip(Skip.UNMAPPED_EVENT, null);
        };
        return withSessionMarks(r, base, own);
    }

    /**
     * {@code init} first when the report is its target's first ({@code sn=0}); {@code loaded} when it
     * carries the startup delay, after the {@code loading} of a starting report, else before its events.
     */
    private static Mapped withSessionMarks(CmcdReport r, Base base, Mapped own) {
        boolean first = r.integer("sn").orElse(-1) == 0;
        boolean startupDelay = r.number("msd").orElse(-1) >= 0;
        if (!first && !startupDelay) {
            return own;
        }
        List<EpasEvent> events = new ArrayList<>(own.events().size() + 2);
        if (first) {
            events.add(base.init());
        }
        List<EpasEvent> rest = own.events();
        if (!rest.isEmpty() && rest.getFirst().type() == EventType.LOADING) {
            events.add(rest.getFirst());
            rest = rest.subList(1, rest.size());
        }
        if (startupDelay) {
            events.add(base.event(EventType.LOADED, null));
        }
        events.addAll(rest);
        return new Mapped(List.copyOf(events), own.skipped(), own.missing());
    }

    private static Mapped playState(CmcdReport r, Base base) {
        Optional<String> sta = r.token("sta");
        if (sta.isEmpty()) {
            return Mapped.skip(Skip.MISSING_KEY, null);
        }
        List<EpasEvent> events = new ArrayList<>(2);
        switch (sta.get()) {
            case "s", "d" -> events.add(base.event(EventType.LOADING, null));
            case "p" -> {
                if (r.has("bsd")) {
                    events.add(base.event(EventType.BUFFERED, null)); // bsd: a rebuffer has just ended
                }
                events.add(base.event(EventType.PLAYING, null));
            }
            case "a" -> events.add(base.event(EventType.PAUSED, null));
            case "r" -> events.add(base.event(EventType.BUFFERING, null));
            case "k" -> events.add(base.event(EventType.SEEKING, null));
            case "e" -> events.add(base.stopped("ended"));
            case "q" -> events.add(base.stopped("aborted"));
            case "f" -> events.add(base.stopped("error"));
            default -> {
                return Mapped.skip(Skip.UNMAPPED_EVENT, null);
            }
        }
        return Mapped.of(List.copyOf(events));
    }

    /**
     * {@code ec} is an inner list of strings; players also send a bare integer (dash.js: {@code ec=27}),
     * tokens, or nothing at all (Shaka Player): the error is an error still, its code {@code unknown}.
     */
    private static Mapped error(CmcdReport r, Base base) {
        List<String> codes = new ArrayList<>();
        for (Sfv.Item item : r.list("ec")) {
            String code = switch (item.value()) {
                case String text -> text;
                case Sfv.Token token -> token.value();
                case Long number -> number.toString();
                case BigDecimal number -> number.toPlainString();
                default -> "";
            };
            if (!code.isEmpty()) {
                codes.add(code);
            }
        }
        return Mapped.of(List.of(base.event(EventType.ERROR, g -> {
            g.write("code", codes.isEmpty() ? UNKNOWN_CODE : codes.getFirst()).write("category", "CMCD");
            if (!codes.isEmpty()) {
                g.writeStartObject("data").writeStartArray("codes");
                codes.forEach(g::write);
                g.writeEnd().writeEnd();
            }
        })));
    }

    private static Mapped bitrate(CmcdReport r, Base base) {
        List<Sfv.Item> br = r.list("br");
        Long video = null;
        Long audio = null;
        Long any = null;
        for (Sfv.Item item : br) {
            if (item.value() instanceof Long kbps) {
                if (any == null) {
                    any = kbps;
                }
                if (item.params().containsKey("v") || item.params().containsKey("av")) {
                    video = video == null ? kbps : video;
                } else if (item.params().containsKey("a")) {
                    audio = audio == null ? kbps : audio;
                }
            }
        }
        if (any == null) {
            return Mapped.skip(Skip.MISSING_KEY, null);
        }
        long bitrate = video != null ? video : any;
        Long v = video;
        Long a = audio;
        return Mapped.of(List.of(base.event(EventType.BITRATE_CHANGED, g -> {
            g.write("bitrate", bitrate);
            if (v != null) {
                g.write("videoBitrate", v);
            }
            if (a != null) {
                g.write("audioBitrate", a);
            }
        })));
    }

    /** The fields every event of one report shares. */
    private record Base(String sessionId, long timestamp, long playhead) {

        EpasEvent init() {
            return write(EventType.INIT, -1, -1, null);
        }

        EpasEvent stopped(String reason) {
            return event(EventType.STOPPED, g -> g.write("reason", reason));
        }

        EpasEvent event(EventType type, Consumer<JsonGenerator> payload) {
            return write(type, timestamp, playhead, payload);
        }

        private EpasEvent write(EventType type, long ts, long pt, Consumer<JsonGenerator> payload) {
            StringWriter out = new StringWriter(160);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject()
                        .write("event", type.wireName())
                        .write("sessionId", sessionId)
                        .write("timestamp", ts)
                        .write("playhead", pt)
                        .write("duration", -1);
                if (payload != null) {
                    g.writeStartObject("payload");
                    payload.accept(g);
                    g.writeEnd();
                }
                g.writeEnd();
            }
            return new EpasEvent(type, sessionId, out.toString(), Long.toString(ts));
        }
    }
}
