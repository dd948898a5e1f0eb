package io.eventsink.service.epas;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of {@link EventValidator} (jqwik): for generated events — valid ones,
 * structurally mutated ones and byte-level mangled ones — and for arbitrary bytes, the validator
 * never throws, accepts exactly what {@link EpasOracle} (an independent reading of docs/epas.md on a
 * JSON tree) accepts, and hands back an accepted body byte-identical.
 */
public class EventValidatorFuzzTest {

    static final int MAX_DEPTH = 32;
    private static final EventValidator VALIDATOR = new EventValidator(
            MAX_DEPTH, java.util.regex.Pattern.compile(io.eventsink.settings.ServiceSettings.SHARD_ID_PATTERN_DEFAULT));
    private static final EpasOracle ORACLE = new EpasOracle(MAX_DEPTH);

    static final List<String> TYPES = List.of(
            "init",
            "metadata",
            "heartbeat",
            "loading",
            "loaded",
            "playing",
            "paused",
            "buffering",
            "buffered",
            "seeking",
            "seeked",
            "bitrate_changed",
            "error",
            "warning",
            "stopped");

    @Property(tries = 3000)
    void neverThrowsOnArbitraryBytes(@ForAll("arbitraryBytes") byte[] body) {
        ValidationResult r = VALIDATOR.validate(body);
        assertThat(r.errors()).isNotNull();
        assertThat(r.valid()).isEqualTo(ORACLE.accepts(body));
    }

    @Property(tries = 4000)
    void validExactlyWhenTheEpasOracleSaysSo(@ForAll("events") byte[] body) {
        ValidationResult r = VALIDATOR.validate(body);
        boolean expected = ORACLE.accepts(body);
        Statistics.collect(expected ? "valid" : "invalid");
        assertThat(r.valid())
                .as("validator %s vs oracle %s for %s", r.errors(), expected, new String(body, StandardCharsets.UTF_8))
                .isEqualTo(expected);
        if (!r.valid()) {
            assertThat(r.errors()).isNotEmpty().allMatch(e -> !e.isBlank());
            assertThat(r.type()).isNull();
        }
        // Both sides of the equivalence are exercised, not just one.
        Statistics.coverage(c -> {
            c.check("valid").percentage(p -> p > 15);
            c.check("invalid").percentage(p -> p > 30);
        });
    }

    /** Once failed: an exponent beyond an int, which Jakarta JSON (the oracle, and readers downstream) refuses. */
    @Example
    void anExponentBeyondAnIntIsRefusedByBoth() {
        byte[] body =
                "{\"shardId\":\"a\",\"timestamp\":0,\"sessionId\":\"\",\"playhead\":0,\"event\":\"init\",\"duration\":1E2147483649}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(ORACLE.accepts(body)).isFalse();
        assertThat(VALIDATOR.validate(body).valid()).isFalse();
    }

    @Property(tries = 2000)
    void acceptedEventsRoundTripByteIdentically(@ForAll("validEvents") byte[] body) {
        ValidationResult r = VALIDATOR.validate(body);
        assertThat(r.valid())
                .as("%s: %s", r.errors(), new String(body, StandardCharsets.UTF_8))
                .isTrue();
        assertThat(r.json().getBytes(StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(r.type()).isNotNull();
        assertThat(r.sessionId())
                .isEqualTo(Json.createReader(new java.io.StringReader(r.json()))
                        .readObject()
                        .getString("sessionId"));
    }

    @Example
    void oracleAgreesOnHandPickedCases() {
        String ok = "{\"event\":\"init\",\"sessionId\":\"s\",\"timestamp\":-1,\"playhead\":-1,\"duration\":-1}";
        for (String body : List.of(
                ok,
                "{}{}",
                ok + " x",
                ok + ok,
                "\uFEFF" + ok,
                ok.replace("-1}", "-1,\"payload\":{}}"),
                ok.replace("\"s\"", "\"s\uFFFF\""),
                "[" + ok + "]",
                ok.replace("init", "Init"),
                ok.replace("\"event\":\"init\",", "\"event\":\"init\",\"event\":\"init\","))) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThat(VALIDATOR.validate(bytes).valid())
                    .as(body)
                    .isEqualTo(ORACLE.accepts(bytes))
                    .isEqualTo(body.equals(ok));
        }
        // Escaped, U+FFFF is plain ASCII on the wire: the queue can carry it, so it is accepted.
        byte[] escaped = ok.replace("\"s\"", "\"s\\uFFFF\"").getBytes(StandardCharsets.UTF_8);
        assertThat(VALIDATOR.validate(escaped).valid()).isTrue();
        assertThat(ORACLE.accepts(escaped)).isTrue();
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<byte[]> arbitraryBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> jsonish = Arbitraries.strings()
                .withChars("{}[]\":,0123456789.eE+- \n\\tfalsenuinit")
                .ofMaxLength(200)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, jsonish, events());
    }

    /** Valid events, events with one rule broken, and byte-level mangled events. */
    @Provide
    Arbitrary<byte[]> events() {
        Arbitrary<Event> valid = validEvent();
        Arbitrary<Event> broken = Combinators.combine(
                        valid,
                        Arbitraries.integers().between(0, 15),
                        Arbitraries.integers().between(0, 1000),
                        jsonValue(3))
                .as(EventValidatorFuzzTest::breakRule);
        Arbitrary<byte[]> mangled = Combinators.combine(
                        valid.map(e -> e.render(Tuple.of(1, ""))),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 100_000),
                        Arbitraries.integers().between(0, 255))
                .as(EventValidatorFuzzTest::mangle);
        return Arbitraries.frequencyOf(
                Tuple.of(3, rendered(valid)), Tuple.of(5, rendered(broken)), Tuple.of(2, mangled));
    }

    @Provide
    Arbitrary<byte[]> validEvents() {
        return validEventBodies();
    }

    /** Valid EPAS events in every shape the generators know, rendered with assorted whitespace. */
    public static Arbitrary<byte[]> validEventBodies() {
        return rendered(validEvent());
    }

    private static Arbitrary<byte[]> rendered(Arbitrary<Event> events) {
        return Combinators.combine(events, Arbitraries.integers().between(0, 3), whitespace())
                .as((e, style, ws) -> e.render(Tuple.of(style, ws)));
    }

    private static Arbitrary<String> whitespace() {
        return Arbitraries.of("", " ", "\n", "\t", "\r\n  ");
    }

    /** One event as an ordered list of members, each value already JSON text. */
    record Event(String type, List<String[]> members) {
        /** style 0: compact; 1..3: whitespace around tokens, trailing whitespace. */
        byte[] render(Tuple.Tuple2<Integer, String> format) {
            String ws = format.get1() == 0 ? "" : format.get2();
            StringBuilder sb = new StringBuilder(ws).append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(ws)
                        .append(members.get(i)[0])
                        .append(ws)
                        .append(':')
                        .append(ws)
                        .append(members.get(i)[1]);
            }
            return sb.append(ws).append('}').append(ws).toString().getBytes(StandardCharsets.UTF_8);
        }

        Event with(List<String[]> newMembers) {
            return new Event(type, newMembers);
        }
    }

    static String str(String s) {
        return Json.createValue(s).toString();
    }

    private static Arbitrary<String> anyString() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.strings().all().ofMaxLength(12),
                        Arbitraries.of(
                                "", "s-1", "é∂😀", "\u2028", "\"quoted\"", "back\\slash", "\u0001ctl", "\uD83D\uDE00"))
                .filter(s -> s.indexOf('\uFFFE') < 0 && s.indexOf('\uFFFF') < 0 && !hasLoneSurrogate(s))
                .map(EventValidatorFuzzTest::str);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** What SHARD_ID_PATTERN allows by default (the oracle checks it independently). */
    private static Arbitrary<String> shardId() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .numeric()
                .withChars('_', '-')
                .ofMinLength(1)
                .ofMaxLength(64)
                .map(EventValidatorFuzzTest::str);
    }

    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Object::toString),
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"),
                Arbitraries.of(
                        "-1",
                        "0",
                        "-0",
                        "0.5",
                        "1e400",
                        "-1E-400",
                        "1.5e+10",
                        "9".repeat(400),
                        "1700000000000",
                        "123456789012345678901234567890.123456789"));
    }

    private static Arbitrary<String> bool() {
        return Arbitraries.of("true", "false");
    }

    /** Any JSON value up to {@code depth} levels of containers (unique member names). */
    private static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(anyString(), number(), bool(), Arbitraries.just("null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMaxLength(6), jsonValue(depth - 1))
                .ofMaxSize(3)
                .map(EventValidatorFuzzTest::object);
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    private static String object(Map<String, String> members) {
        List<String> parts = new ArrayList<>();
        members.forEach((k, v) -> parts.add(str(k) + ":" + v));
        return "{" + String.join(",", parts) + "}";
    }

    private static Arbitrary<Event> validEvent() {
        return Arbitraries.of(TYPES)
                .flatMap(type -> Combinators.combine(
                                anyString(),
                                number(),
                                number(),
                                number(),
                                shardId().optional(),
                                payload(type),
                                Arbitraries.shuffle(0, 1, 2, 3, 4, 5, 6))
                        .as((sid, ts, ph, du, shard, payload, order) -> {
                            String[][] all = {
                                {str("event"), str(type)},
                                {str("sessionId"), sid},
                                {str("timestamp"), ts},
                                {str("playhead"), ph},
                                {str("duration"), du},
                                shard.map(s -> new String[] {str("shardId"), s}).orElse(null),
                                payload.isEmpty() ? null : new String[] {str("payload"), payload}
                            };
                            List<String[]> members = new ArrayList<>();
                            for (int i : order) {
                                if (all[i] != null) {
                                    members.add(all[i]);
                                }
                            }
                            return new Event(type, members);
                        }));
    }

    /** A valid payload for the type, or "" when the type takes none. */
    private static Arbitrary<String> payload(String type) {
        return switch (type) {
            case "metadata" ->
                Combinators.combine(
                                bool().optional(),
                                Arbitraries.maps(
                                                Arbitraries.of(
                                                        "contentTitle",
                                                        "contentId",
                                                        "contentUrl",
                                                        "drmType",
                                                        "userId",
                                                        "deviceId",
                                                        "deviceModel",
                                                        "deviceType"),
                                                anyString())
                                        .ofMaxSize(8),
                                Arbitraries.maps(
                                                Arbitraries.strings()
                                                        .alpha()
                                                        .ofMinLength(1)
                                                        .ofMaxLength(8)
                                                        .filter(k -> !k.equals("live")
                                                                && !k.startsWith("content")
                                                                && !k.startsWith("d")
                                                                && !k.equals("userId")),
                                                Arbitraries.oneOf(anyString(), bool()))
                                        .ofMaxSize(3))
                        .as((live, known, custom) -> {
                            Map<String, String> m = new java.util.LinkedHashMap<>(known);
                            live.ifPresent(l -> m.put("live", l));
                            m.putAll(custom);
                            return object(m);
                        });
            case "bitrate_changed" ->
                Combinators.combine(
                                number(),
                                Arbitraries.maps(
                                                Arbitraries.of("width", "height", "videoBitrate", "audioBitrate"),
                                                number())
                                        .ofMaxSize(4))
                        .as((bitrate, rest) -> {
                            Map<String, String> m = new java.util.LinkedHashMap<>(rest);
                            m.put("bitrate", bitrate);
                            return object(m);
                        });
            case "stopped" -> Arbitraries.of("ended", "aborted", "error", "").map(r -> "{\"reason\":" + str(r) + "}");
            case "error", "warning" ->
                Combinators.combine(
                                anyString(),
                                anyString().optional(),
                                anyString().optional(),
                                jsonValue(3).filter(v -> v.startsWith("{")).optional())
                        .as((code, category, message, data) -> {
                            Map<String, String> m = new java.util.LinkedHashMap<>();
                            m.put("code", code);
                            category.ifPresent(c -> m.put("category", c));
                            message.ifPresent(c -> m.put("message", c));
                            data.ifPresent(c -> m.put("data", c));
                            return object(m);
                        });
            default -> Arbitraries.just(""); // none
        };
    }

    /** Breaks (or, for some choices, may happen to keep) one EPAS rule. */
    static Event breakRule(Event e, int how, int at, String value) {
        List<String[]> m = new ArrayList<>();
        for (String[] member : e.members()) {
            m.add(member.clone()); // generated values may be reused while shrinking: never mutate them
        }
        int i = Math.floorMod(at, m.size());
        switch (how) {
            case 0 -> m.remove(i); // a field missing
            case 1 -> m.get(i)[1] = value; // any value in any field
            case 2 ->
                m.add(Math.floorMod(at, m.size() + 1), new String[] {str("extra" + at % 3), value}); // unknown field
            case 3 -> m.add(m.get(i).clone()); // duplicate name
            case 4 ->
                replace(
                        m,
                        "event",
                        str(List.of("Init", "pause", "", "heartbeat ", "bitrateChanged", "ERROR")
                                .get(at % 6)));
            case 5 -> replace(m, "payload", value); // payload of any shape
            case 6 -> m.add(new String[] {str("payload"), "{\"reason\":\"x\"}"}); // a payload where none may be
            case 7 ->
                replace(
                        m,
                        "timestamp",
                        List.of("\"1\"", "null", "true", "[1]", "{}", value).get(at % 6));
            case 8 ->
                replace(
                        m,
                        "sessionId",
                        List.of("1", "null", "false", "[]", "{}", value).get(at % 6));
            case 9 -> replace(m, "shardId", value);
            case 10 -> replace(m, "payload", nested(at % 40)); // deep inside the payload
            case 11 -> replace(m, "payload", payloadTwist(e.type(), at, value));
            case 12 -> m.add(new String[] {str("payload"), "{\"k\":1,\"k\":2}"});
            case 13 -> { // numbers at the edge of what readers downstream can read, in any field or the payload
                List<String> edge = List.of(
                        "1E2147483649",
                        "-1e-2147483649",
                        "1E2147483647",
                        "0." + "0".repeat(997) + "1",
                        "0." + "0".repeat(998) + "1");
                String number = edge.get(at % edge.size());
                if (at % 2 == 0) {
                    m.get(i)[1] = number;
                } else {
                    replace(m, "payload", "{\"bitrate\":" + number + ",\"data\":{\"n\":[" + number + "]}}");
                }
            }
            default -> {
                // unchanged: still valid
            }
        }
        return e.with(m);
    }

    private static void replace(List<String[]> members, String name, String value) {
        String key = str(name);
        for (String[] member : members) {
            if (member[0].equals(key)) {
                member[1] = value;
                return;
            }
        }
        members.add(new String[] {key, value});
    }

    private static String nested(int depth) {
        return "{\"code\":\"c\",\"data\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
    }

    /** A payload that is nearly right for the type: one member of the wrong kind or unknown. */
    private static String payloadTwist(String type, int at, String value) {
        return switch (type) {
            case "metadata" ->
                List.of(
                                "{\"live\":\"yes\"}",
                                "{\"contentId\":1}",
                                "{\"custom\":1}",
                                "{\"custom\":null}",
                                "{\"custom\":{}}",
                                "{\"live\":" + value + "}")
                        .get(at % 6);
            case "bitrate_changed" ->
                List.of(
                                "{}",
                                "{\"bitrate\":\"1\"}",
                                "{\"bitrate\":1,\"fps\":30}",
                                "{\"bitrate\":1,\"width\":" + value + "}")
                        .get(at % 4);
            case "stopped" ->
                List.of("{}", "{\"reason\":1}", "{\"reason\":\"x\",\"at\":1}", "{\"reason\":" + value + "}")
                        .get(at % 4);
            case "error", "warning" ->
                List.of(
                                "{}",
                                "{\"code\":404}",
                                "{\"code\":\"x\",\"data\":[]}",
                                "{\"code\":\"x\",\"extra\":1}",
                                "{\"code\":\"x\",\"data\":" + value + "}")
                        .get(at % 5);
            default -> List.of("{}", "null", "[]", value).get(at % 4);
        };
    }

    /** Byte-level damage: truncation, an inserted or replaced byte, BOM, trailing data. */
    static byte[] mangle(byte[] body, int how, int at, int b) {
        int i = body.length == 0 ? 0 : Math.floorMod(at, body.length);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        switch (how) {
            case 0 -> out.write(body, 0, i); // truncated
            case 1 -> { // one byte replaced
                byte[] copy = body.clone();
                copy[i] = (byte) b;
                return copy;
            }
            case 2 -> { // one byte inserted
                out.write(body, 0, i);
                out.write(b);
                out.write(body, i, body.length - i);
            }
            case 3 -> { // one byte removed
                out.write(body, 0, i);
                out.write(body, Math.min(i + 1, body.length), body.length - Math.min(i + 1, body.length));
            }
            case 4 -> {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(body);
            }
            case 5 -> {
                out.writeBytes(body);
                out.writeBytes(
                        List.of("x", "{}", " null", "\u0000", ",").get(at % 5).getBytes(StandardCharsets.UTF_8));
            }
            case 6 -> {
                out.writeBytes("[".getBytes(StandardCharsets.UTF_8));
                out.writeBytes(body);
                out.writeBytes("]".getBytes(StandardCharsets.UTF_8));
            }
            default -> out.writeBytes(body);
        }
        return out.toByteArray();
    }
}
