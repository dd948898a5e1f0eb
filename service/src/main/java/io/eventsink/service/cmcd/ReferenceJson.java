package io.eventsink.service.cmcd;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON bodies Eyevinn's player-analytics-eventsink takes on its {@code /cmcd} endpoint, read
 * into CMCD reports so its clients keep working here: {@code {"cmcd": {...}}} for one event and
 * {@code {"session": {...}, "events": [{...}, ...]}} for a batch, each event an object of the
 * groups {@code session}, {@code object}, {@code request}, {@code status}, {@code response} and
 * {@code event} holding CMCD keys. That sink has event names of its own; they are translated to
 * CTA-5004-B's (docs/cmcd.md has the table), then mapped like any report.
 */
public final class ReferenceJson {

    private static final List<String> GROUPS = List.of("session", "object", "request", "status", "response", "event");
    /** Keys whose values CMCD defines as tokens. */
    private static final Set<String> TOKEN_KEYS = Set.of("e", "sta", "sf", "st", "ot");

    /** A body that is JSON but none of the two shapes. */
    public static final class NotAShape extends Exception {
        public NotAShape(String message) {
            super(message, null, false, false);
        }
    }

    private ReferenceJson() {}

    /** @param fromHeaders the request's CMCD-* headers as one report (or null): body values win over them */
    public static List<CmcdReport> reports(JsonObject body, CmcdReport fromHeaders, int maxReports) throws NotAShape {
        List<JsonObject> entries = new ArrayList<>();
        JsonObject shared = null;
        if (body.get("cmcd") instanceof JsonObject one) {
            entries.add(one);
        } else if (body.get("events") instanceof JsonArray many) {
            for (JsonValue v : many) {
                if (!(v instanceof JsonObject o)) {
                    throw new NotAShape("events: every entry must be an object");
                }
                entries.add(o);
            }
            shared = body.get("session") instanceof JsonObject s ? s : null;
        } else {
            throw new NotAShape("expected {\"cmcd\": {...}} or {\"session\": {...}, \"events\": [...]}");
        }
        if (entries.size() > maxReports) {
            throw new NotAShape("more than " + maxReports + " events");
        }
        List<CmcdReport> reports = new ArrayList<>(entries.size());
        for (JsonObject entry : entries) {
            Map<String, Sfv.Item> keys = new LinkedHashMap<>();
            if (fromHeaders != null) {
                keys.putAll(fromHeaders.keys());
            }
            if (shared != null) {
                put(keys, shared);
            }
            for (String group : GROUPS) {
                if (entry.get(group) instanceof JsonObject o) {
                    put(keys, o);
                }
            }
            translateEventNames(keys);
            reports.add(new CmcdReport(keys));
        }
        return reports;
    }

    private static void put(Map<String, Sfv.Item> keys, JsonObject group) {
        for (Map.Entry<String, JsonValue> m : group.entrySet()) {
            Object value = value(m.getKey(), m.getValue());
            if (value != null) {
                keys.put(m.getKey(), new Sfv.Item(value, Map.of()));
            }
        }
    }

    private static Object value(String key, JsonValue v) {
        return switch (v) {
            case JsonString s -> TOKEN_KEYS.contains(key) ? new Sfv.Token(s.getString()) : s.getString();
            case JsonNumber n -> n.isIntegral() ? (Object) n.longValue() : n.bigDecimalValue();
            case JsonArray a -> {
                List<Sfv.Item> items = new ArrayList<>();
                for (JsonValue e : a) {
                    Object item = value(key, e);
                    if (item != null && !(item instanceof List)) {
                        items.add(new Sfv.Item(item, Map.of()));
                    }
                }
                yield List.copyOf(items);
            }
            default -> v == JsonValue.TRUE ? Boolean.TRUE : v == JsonValue.FALSE ? Boolean.FALSE : null;
        };
    }

    /** That sink's own event names, as CTA-5004-B events: {@code st} (stall) becomes {@code e=ps,sta=r}, … */
    private static void translateEventNames(Map<String, Sfv.Item> keys) {
        if (!(keys.get("e") instanceof Sfv.Item e) || !(e.value() instanceof Sfv.Token t) || keys.containsKey("sta")) {
            return;
        }
        switch (t.value()) {
            case "ps" -> keys.put("sta", token("p")); // "playback start"
            case "st" -> set(keys, "ps", "r"); // stall
            case "se" -> set(keys, "ps", "k"); // seek
            case "sp" -> keys.put("e", token("pr")); // speed change
            case "cc" -> keys.put("e", token("c")); // content change
            case "er" -> { // error: its code is the response code, when there was one
                keys.put("e", token("e"));
                String code = keys.get("rc") instanceof Sfv.Item rc && rc.value() instanceof Long l
                        ? Long.toString(l)
                        : "unknown";
                keys.put("ec", new Sfv.Item(List.of(new Sfv.Item(code, Map.of())), Map.of()));
            }
            default -> {
                // as, ae and anything else keep their name: the mapping decides
            }
        }
    }

    private static void set(Map<String, Sfv.Item> keys, String e, String sta) {
        keys.put("e", token(e));
        keys.put("sta", token(sta));
    }

    private static Sfv.Item token(String value) {
        return new Sfv.Item(new Sfv.Token(value), Map.of());
    }
}
