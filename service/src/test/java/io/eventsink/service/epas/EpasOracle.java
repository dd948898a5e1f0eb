package io.eventsink.service.epas;

import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * An independent statement of what EventSink accepts, written from docs/epas.md and
 * the README's HTTP contract, on a JSON object tree — not from the validator's streaming code.
 *
 * <p>Transport rules of the sink (README): strict UTF-8, no byte order mark, exactly one JSON value
 * and nothing after it, nesting at most {@code maxDepth} (the event object is depth 1), no U+FFFE
 * or U+FFFF (SQS cannot carry them), member names unique (a worker could not tell which one
 * counts). EPAS 0.5.0 rules: see {@link #epas(JsonObject)}.
 */
final class EpasOracle {

    private static final java.util.regex.Pattern SHARD_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final Map<String, String> PAYLOAD_RULE = Map.ofEntries(
            Map.entry("init", "none"),
            Map.entry("heartbeat", "none"),
            Map.entry("loading", "none"),
            Map.entry("loaded", "none"),
            Map.entry("playing", "none"),
            Map.entry("paused", "none"),
            Map.entry("buffering", "none"),
            Map.entry("buffered", "none"),
            Map.entry("seeking", "none"),
            Map.entry("seeked", "none"),
            Map.entry("metadata", "metadata"),
            Map.entry("bitrate_changed", "bitrate"),
            Map.entry("error", "problem"),
            Map.entry("warning", "problem"),
            Map.entry("stopped", "stopped"));
    private static final Set<String> TOP =
            Set.of("event", "sessionId", "timestamp", "playhead", "duration", "shardId", "payload");
    private static final Set<String> METADATA_STRINGS = Set.of(
            "contentTitle", "contentId", "contentUrl", "drmType", "userId", "deviceId", "deviceModel", "deviceType");
    private static final Set<String> BITRATE_NUMBERS =
            Set.of("bitrate", "width", "height", "videoBitrate", "audioBitrate");

    private static final Map<String, ?> STRICT = Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE);
    private static final JsonReaderFactory READERS = Json.createReaderFactory(STRICT);
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final int maxDepth;

    EpasOracle(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    boolean accepts(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        if (text.startsWith("\uFEFF") || text.indexOf('\uFFFE') >= 0 || text.indexOf('\uFFFF') >= 0) {
            return false;
        }
        if (!oneValueWithinDepth(text)) {
            return false;
        }
        JsonValue tree;
        try {
            tree = READERS.createReader(new StringReader(text)).readValue(); // throws on duplicate names
        } catch (RuntimeException e) {
            return false;
        }
        // Its reader refuses a number with an exponent beyond an int (docs/epas.md).
        return tree.getValueType() == JsonValue.ValueType.OBJECT && epas(tree.asJsonObject());
    }

    /** Structure only: one JSON value, nothing but whitespace after it, containers at most maxDepth deep. */
    private boolean oneValueWithinDepth(String text) {
        try (JsonParser p = PARSERS.createParser(new StringReader(text))) {
            if (!p.hasNext()) {
                return false;
            }
            int depth = 0;
            do {
                switch (p.next()) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > maxDepth) {
                            return false;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER -> {
                        if (p.getString().length() > 1000) {
                            return false; // docs/epas.md: at most 1,000 characters
                        }
                    }
                    default -> {}
                }
            } while (depth > 0);
            return !p.hasNext();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The EPAS 0.5.0 rules of docs/epas.md on one event object. */
    static boolean epas(JsonObject event) {
        if (!TOP.containsAll(event.keySet())) {
            return false; // additionalProperties: false
        }
        if (!isString(event.get("event")) || !PAYLOAD_RULE.containsKey(event.getString("event"))) {
            return false;
        }
        if (!isString(event.get("sessionId"))) {
            return false;
        }
        for (String number : new String[] {"timestamp", "playhead", "duration"}) {
            if (!isNumber(event.get(number))) {
                return false;
            }
        }
        if (event.containsKey("shardId")
                && isString(event.get("shardId"))
                && !SHARD_ID.matcher(((jakarta.json.JsonString) event.get("shardId")).getString())
                        .matches()) {
            return false; // it picks a table downstream: only letters, digits, '_' and '-', 1 to 64 of them
        }
        if (event.containsKey("shardId") && !isString(event.get("shardId"))) {
            return false;
        }
        String rule = PAYLOAD_RULE.get(event.getString("event"));
        JsonValue payload = event.get("payload");
        if (rule.equals("none")) {
            return payload == null;
        }
        if (payload == null || payload.getValueType() != JsonValue.ValueType.OBJECT) {
            return false;
        }
        JsonObject p = payload.asJsonObject();
        return switch (rule) {
            case "metadata" ->
                p.entrySet().stream().allMatch(m -> switch (m.getKey()) {
                    case "live" -> isBoolean(m.getValue());
                    default ->
                        METADATA_STRINGS.contains(m.getKey())
                                ? isString(m.getValue())
                                : isString(m.getValue()) || isBoolean(m.getValue());
                });
            case "bitrate" ->
                isNumber(p.get("bitrate"))
                        && p.entrySet().stream()
                                .allMatch(m -> BITRATE_NUMBERS.contains(m.getKey()) && isNumber(m.getValue()));
            case "stopped" -> isString(p.get("reason")) && p.keySet().equals(Set.of("reason"));
            case "problem" ->
                isString(p.get("code"))
                        && p.entrySet().stream().allMatch(m -> switch (m.getKey()) {
                            case "code", "category", "message" -> isString(m.getValue());
                            case "data" -> m.getValue().getValueType() == JsonValue.ValueType.OBJECT;
                            default -> false;
                        });
            default -> throw new IllegalStateException(rule);
        };
    }

    private static boolean isString(JsonValue v) {
        return v != null && v.getValueType() == JsonValue.ValueType.STRING;
    }

    private static boolean isNumber(JsonValue v) {
        return v != null && v.getValueType() == JsonValue.ValueType.NUMBER;
    }

    private static boolean isBoolean(JsonValue v) {
        return v != null
                && (v.getValueType() == JsonValue.ValueType.TRUE || v.getValueType() == JsonValue.ValueType.FALSE);
    }
}
