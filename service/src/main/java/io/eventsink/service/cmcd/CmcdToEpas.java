package io.eventsink.service.cmcd;

import io.eventsink.service.epas.EventType;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
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
 */
public final class CmcdToEpas {

    /** The CMCD version this sink reads; reports of a higher one are dropped (CTA-5004-B section 6). */
    static final long VERSION = 2;

    static final int MAX_SID = 64;
    static final int MAX_CID = 128;
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
        /** A key its event type needs is missing ({@code sta} for ps, {@code ec} for e, {@code br} for bc, {@code cid} for c). */
        MISSING_KEY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one report came to: events, or why none. */
    public record Mapped(List<EpasEvent> events, Skip skipped, String detail) {
        static Mapped skip(Skip why, String detail) {
            return new Mapped(List.of(), why, detail);
        }
    }

    private CmcdToEpas() {}

    public static Mapped map(CmcdReport r) {
        Optional<String> e = r.token("e");
        OptionalLong ts = r.integer("ts");
        if (e.isEmpty() || ts.isEmpty() || ts.getAsLong() < 0) {
            return Mapped.skip(Skip.UNUSABLE, "e and ts (epoch ms) are required");
        }
        OptionalLong v = r.integer("v");
        if (v.isPresent() && v.getAsLong() > VERSION) {
            return Mapped.skip(Skip.NEWER_VERSION, "v=" + v.getAsLong() + " is newer than " + VERSION);
        }
        Optional<String> sid = r.string("sid", MAX_SID);
        if (sid.isEmpty()) {
            return Mapped.skip(Skip.NO_SESSION_ID, "no sid");
        }
        Base base = new Base(sid.get(), ts.getAsLong(), r.number("pt").orElse(-1));
        return switch (e.get()) {
            case "ps" -> playState(r, base);
            case "e" -> error(r, base);
            case "bc" -> bitrate(r, base);
            case "t" -> new Mapped(List.of(base.event(EventType.HEARTBEAT, null)), null, null);
            case "c" ->
                r.string("cid", MAX_CID)
                        .map(cid -> new Mapped(
                                List.of(base.event(EventType.METADATA, g -> g.write("contentId", cid))), null, null))
                        .orElseGet(() -> Mapped.skip(Skip.MISSING_KEY, "e=c without cid"));
            default -> Mapped.skip(Skip.UNMAPPED_EVENT, "e=" + e.get());
        };
    }

    private static Mapped playState(CmcdReport r, Base base) {
        Optional<String> sta = r.token("sta");
        if (sta.isEmpty()) {
            return Mapped.skip(Skip.MISSING_KEY, "e=ps without sta");
        }
        List<EpasEvent> events = new ArrayList<>(2);
        switch (sta.get()) {
            case "s", "d" -> {
                // the first record of a session (sn=0) starting or preloading also starts the EPAS session
                if (r.integer("sn").orElse(-1) == 0) {
                    events.add(base.init());
                }
                events.add(base.event(EventType.LOADING, null));
            }
            case "p" -> {
                if (r.has("msd")) {
                    events.add(base.event(EventType.LOADED, null)); // msd rides on the first play only
                }
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
                return Mapped.skip(Skip.UNMAPPED_EVENT, "e=ps sta=" + sta.get());
            }
        }
        return new Mapped(List.copyOf(events), null, null);
    }

    private static Mapped error(CmcdReport r, Base base) {
        List<String> codes = new ArrayList<>();
        for (Sfv.Item item : r.list("ec")) {
            if (item.value() instanceof String code && !code.isEmpty()) {
                codes.add(code);
            }
        }
        if (codes.isEmpty()) {
            return Mapped.skip(Skip.MISSING_KEY, "e=e without ec");
        }
        return new Mapped(
                List.of(base.event(EventType.ERROR, g -> {
                    g.write("code", codes.getFirst()).write("category", "CMCD");
                    g.writeStartObject("data").writeStartArray("codes");
                    codes.forEach(g::write);
                    g.writeEnd().writeEnd();
                })),
                null,
                null);
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
            return Mapped.skip(Skip.MISSING_KEY, "e=bc without br");
        }
        long bitrate = video != null ? video : any;
        Long v = video;
        Long a = audio;
        return new Mapped(
                List.of(base.event(EventType.BITRATE_CHANGED, g -> {
                    g.write("bitrate", bitrate);
                    if (v != null) {
                        g.write("videoBitrate", v);
                    }
                    if (a != null) {
                        g.write("audioBitrate", a);
                    }
                })),
                null,
                null);
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
