package io.eventsink.service.epas;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one EPAS 0.5.0 event with a single streaming pass and no object tree: the raw body
 * is what goes to the queue, so we only need to know whether it is valid and pick out the
 * fields the queue message attributes need. Thread-safe; one instance serves all requests.
 */
public final class EventValidator {

    /** Keys and values we echo back in error messages are cut to this length. */
    private static final int MAX_ECHO = 64;
    /** Enough to say what is wrong without letting a hostile body produce a huge response. */
    private static final int MAX_ERRORS = 20;
    /** The metadata keys EPAS types as strings; other keys may be strings or booleans. */
    private static final Set<String> METADATA_STRINGS = Set.of(
            "contentTitle", "contentId", "contentUrl", "drmType", "userId", "deviceId", "deviceModel", "deviceType");

    /**
     * Numbers must be ones a JSON reader downstream can read: Jackson refuses more than 1,000
     * characters by default (Jakarta JSON's Parsson 1,100), and BigDecimal an exponent beyond an int.
     * Huge but readable numbers (1e400) stay numbers: the body goes to the queue as sent.
     */
    static final int MAX_NUMBER_CHARS = 1000;

    // A shared factory: creating one per request (what Json.createParser does) is ~15x slower.
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final int maxDepth;
    private final Pattern shardIdPattern;

    /**
     * @param maxDepth the deepest nesting accepted (the event object itself is depth 1)
     */
    public EventValidator(int maxDepth, Pattern shardIdPattern) {
        this.maxDepth = maxDepth;
        this.shardIdPattern = shardIdPattern;
    }

    /** Validates a request body. Never throws for any input. */
    public ValidationResult validate(byte[] body) {
        if (isBlank(body)) {
            return rejected(null, null, "body: empty, expected one JSON event object");
        }
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            return rejected(null, null, "body: starts with a byte order mark, which JSON over HTTP must not");
        }
        String json;
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            json = chars.toString();
        } catch (CharacterCodingException e) {
            return rejected(null, null, "body: not valid UTF-8");
        }
        if (json.indexOf('\uFFFE') >= 0 || json.indexOf('\uFFFF') >= 0) {
            // Valid JSON, but SQS refuses these code points in message bodies.
            return rejected(null, json, "body: contains U+FFFE or U+FFFF, which the queue cannot carry");
        }
        Scan scan = new Scan();
        try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            scan.run(parser);
        } catch (JsonParsingException e) {
            scan.fatal("body: malformed JSON" + where(e.getLocation()));
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            scan.fatal("body: malformed JSON");
        } catch (DepthExceeded e) {
            scan.fatal("body: nested deeper than " + maxDepth + " levels");
        }
        if (!scan.fatal) {
            scan.checkSemantics();
        }
        if (scan.errors.isEmpty()) {
            return new ValidationResult(
                    ValidationResult.Kind.VALID,
                    scan.type,
                    scan.sessionId,
                    scan.timestampText,
                    scan.shardId,
                    json,
                    List.of());
        }
        return new ValidationResult(
                scan.fatal ? ValidationResult.Kind.MALFORMED : ValidationResult.Kind.INVALID,
                null,
                scan.sessionId,
                null,
                null,
                json,
                List.copyOf(scan.errors));
    }

    private static ValidationResult rejected(String sessionId, String json, String error) {
        return new ValidationResult(ValidationResult.Kind.MALFORMED, null, sessionId, null, null, json, List.of(error));
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNumber() < 0) {
            return "";
        }
        return " at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    /** Cuts a client-supplied string for use inside an error message (JSON escaping happens later). */
    static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }

    private static final class DepthExceeded extends RuntimeException {
        DepthExceeded() {
            super(null, null, false, false);
        }
    }

    /** The top-level members of an EPAS event. */
    private enum Field {
        EVENT("event"),
        SESSION_ID("sessionId"),
        TIMESTAMP("timestamp"),
        PLAYHEAD("playhead"),
        DURATION("duration"),
        SHARD_ID("shardId"),
        PAYLOAD("payload");

        static final Map<String, Field> BY_NAME = new HashMap<>();
        static final List<Field> REQUIRED = List.of(EVENT, SESSION_ID, TIMESTAMP, PLAYHEAD, DURATION);

        static {
            for (Field f : values()) {
                BY_NAME.put(f.wireName, f);
            }
        }

        final String wireName;

        Field(String wireName) {
            this.wireName = wireName;
        }
    }

    /** The kinds of JSON value we need to tell apart. */
    private enum Kind {
        STRING("string"),
        NUMBER("number"),
        BOOLEAN("boolean"),
        NULL("null"),
        OBJECT("object"),
        ARRAY("array");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** State of one validation pass. */
    private final class Scan {
        final List<String> errors = new ArrayList<>(2);
        boolean fatal;

        final EnumSet<Field> seen = EnumSet.noneOf(Field.class);
        EventType type;
        String sessionId;
        String shardId;
        String timestampText;
        /** Payload member name -> kind of its value; null when the event had no object payload. */
        Map<String, Kind> payload;

        void error(String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(message);
            }
        }

        void fatal(String message) {
            // A body we could not read to the end: earlier findings would only confuse.
            fatal = true;
            errors.clear();
            error(message);
        }

        void run(JsonParser parser) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                fatal("body: expected a JSON object");
                return;
            }
            while (true) {
                JsonParser.Event e = parser.next();
                if (e == JsonParser.Event.END_OBJECT) {
                    break;
                }
                // Inside an object the parser only yields KEY_NAME or END_OBJECT.
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                member(parser, key, value);
            }
            if (parser.hasNext()) {
                fatal("body: unexpected data after the JSON object");
            }
        }

        private void member(JsonParser parser, String key, JsonParser.Event value) {
            Field field = Field.BY_NAME.get(key);
            if (field == null) {
                error(echo(key) + ": unknown property");
                skip(parser, value, 1, echo(key));
                return;
            }
            if (!seen.add(field)) {
                error(key + ": appears more than once");
                skip(parser, value, 1, key);
                return;
            }
            if (value == JsonParser.Event.VALUE_NUMBER) {
                checkNumber(parser, key);
            }
            switch (field) {
                case EVENT -> {
                    if (expect(parser, key, value, JsonParser.Event.VALUE_STRING, Kind.STRING)) {
                        String name = parser.getString();
                        type = EventType.fromWireName(name);
                        if (type == null) {
                            error("event: unknown type '" + echo(name) + "'");
                        }
                    }
                }
                case SESSION_ID -> {
                    if (expect(parser, key, value, JsonParser.Event.VALUE_STRING, Kind.STRING)) {
                        sessionId = parser.getString();
                    }
                }
                case TIMESTAMP -> {
                    if (expect(parser, key, value, JsonParser.Event.VALUE_NUMBER, Kind.NUMBER)) {
                        timestampText = parser.getString();
                    }
                }
                case PLAYHEAD, DURATION -> expect(parser, key, value, JsonParser.Event.VALUE_NUMBER, Kind.NUMBER);
                case SHARD_ID -> {
                    if (expect(parser, key, value, JsonParser.Event.VALUE_STRING, Kind.STRING)) {
                        String id = parser.getString();
                        // Downstream workers pick a table by it: nothing but what the pattern allows gets through.
                        if (shardIdPattern.matcher(id).matches()) {
                            shardId = id;
                        } else {
                            error("shardId: must match " + shardIdPattern.pattern());
                        }
                    }
                }
                case PAYLOAD -> {
                    if (expect(parser, key, value, JsonParser.Event.START_OBJECT, Kind.OBJECT)) {
                        payload = readPayload(parser);
                    }
                }
            }
        }

        /** True when the value is of the wanted kind; otherwise reports it and skips the value. */
        private boolean expect(
                JsonParser parser, String key, JsonParser.Event value, JsonParser.Event wanted, Kind kind) {
            if (value == wanted) {
                return true;
            }
            error(key + ": expected " + kind.label + ", got " + kindOf(value).label);
            skip(parser, value, 1, key);
            return false;
        }

        /** Reads the payload's members (depth 2) and skips nested values (e.g. error data). */
        private Map<String, Kind> readPayload(JsonParser parser) {
            Map<String, Kind> members = new HashMap<>(8);
            while (true) {
                JsonParser.Event e = parser.next();
                if (e == JsonParser.Event.END_OBJECT) {
                    return members;
                }
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                if (members.put(key, kindOf(value)) != null) {
                    error("payload." + echo(key) + ": appears more than once");
                }
                if (value == JsonParser.Event.VALUE_NUMBER) {
                    checkNumber(parser, "payload." + echo(key));
                }
                skip(parser, value, 2, "payload." + echo(key));
            }
        }

        /** Reports a number (the parser's current value) that readers downstream could not hold. */
        private void checkNumber(JsonParser parser, String where) {
            if (!holdable(parser.getString())) {
                error(where + ": number out of range (at most " + MAX_NUMBER_CHARS
                        + " characters, exponent within an int)");
            }
        }

        /**
         * Consumes a container value whose start event was just read, counting depth ourselves so
         * that absurd nesting is refused early instead of walked to the end; its numbers are checked.
         */
        private void skip(JsonParser parser, JsonParser.Event start, int parentDepth, String where) {
            if (start != JsonParser.Event.START_OBJECT && start != JsonParser.Event.START_ARRAY) {
                return;
            }
            int depth = parentDepth + 1;
            if (depth > maxDepth) {
                throw new DepthExceeded();
            }
            int open = 1;
            while (open > 0) {
                JsonParser.Event e = parser.next();
                if (e == JsonParser.Event.START_OBJECT || e == JsonParser.Event.START_ARRAY) {
                    open++;
                    if (depth + open - 1 > maxDepth) {
                        throw new DepthExceeded();
                    }
                } else if (e == JsonParser.Event.END_OBJECT || e == JsonParser.Event.END_ARRAY) {
                    open--;
                } else if (e == JsonParser.Event.VALUE_NUMBER) {
                    checkNumber(parser, where);
                }
            }
        }

        void checkSemantics() {
            for (Field field : Field.REQUIRED) {
                if (!seen.contains(field)) {
                    error(field.wireName + ": required");
                }
            }
            boolean payloadSeen = seen.contains(Field.PAYLOAD);
            if (type == null) {
                return;
            }
            String name = type.wireName();
            if (type.payloadRule() == EventType.PayloadRule.NONE) {
                if (payloadSeen) {
                    error("payload: not allowed for event '" + name + "'");
                }
                return;
            }
            if (!payloadSeen) {
                error("payload: required for event '" + name + "'");
                return;
            }
            if (payload == null) {
                return; // wrong type, already reported
            }
            switch (type.payloadRule()) {
                case METADATA -> checkMetadata();
                case BITRATE ->
                    checkMembers(
                            Map.of(
                                    "bitrate",
                                    Kind.NUMBER,
                                    "width",
                                    Kind.NUMBER,
                                    "height",
                                    Kind.NUMBER,
                                    "videoBitrate",
                                    Kind.NUMBER,
                                    "audioBitrate",
                                    Kind.NUMBER),
                            "bitrate");
                case STOPPED -> checkMembers(Map.of("reason", Kind.STRING), "reason");
                case PROBLEM ->
                    checkMembers(
                            Map.of(
                                    "code",
                                    Kind.STRING,
                                    "category",
                                    Kind.STRING,
                                    "message",
                                    Kind.STRING,
                                    "data",
                                    Kind.OBJECT),
                            "code");
                default -> throw new IllegalStateException("unhandled payload rule " + type.payloadRule());
            }
        }

        private void checkMetadata() {
            for (Map.Entry<String, Kind> member : payload.entrySet()) {
                String key = member.getKey();
                Kind kind = member.getValue();
                if (key.equals("live")) {
                    if (kind != Kind.BOOLEAN) {
                        error("payload.live: expected boolean, got " + kind.label);
                    }
                } else if (METADATA_STRINGS.contains(key)) {
                    if (kind != Kind.STRING) {
                        error("payload." + key + ": expected string, got " + kind.label);
                    }
                } else if (kind != Kind.STRING && kind != Kind.BOOLEAN) {
                    // EPAS 0.4.0+ allows custom metadata keys with string or boolean values.
                    error("payload." + echo(key) + ": expected string or boolean, got " + kind.label);
                }
            }
        }

        private void checkMembers(Map<String, Kind> allowed, String required) {
            if (!payload.containsKey(required)) {
                error("payload." + required + ": required for event '" + type.wireName() + "'");
            }
            for (Map.Entry<String, Kind> member : payload.entrySet()) {
                Kind expected = allowed.get(member.getKey());
                if (expected == null) {
                    error("payload." + echo(member.getKey()) + ": unknown property for event '" + type.wireName()
                            + "'");
                } else if (expected != member.getValue()) {
                    error("payload." + member.getKey() + ": expected " + expected.label + ", got "
                            + member.getValue().label);
                }
            }
        }
    }

    /** Whether a JSON number (valid syntax) is one readers can read; a number without an exponent costs a scan. */
    static boolean holdable(String number) {
        if (number.length() > MAX_NUMBER_CHARS) {
            return false;
        }
        if (number.indexOf('e') < 0 && number.indexOf('E') < 0) {
            return true;
        }
        try {
            new BigDecimal(number);
            return true;
        } catch (NumberFormatException exponentOrScaleOverflow) {
            return false;
        }
    }

    private static Kind kindOf(JsonParser.Event value) {
        return switch (value) {
            case VALUE_STRING -> Kind.STRING;
            case VALUE_NUMBER -> Kind.NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> Kind.BOOLEAN;
            case VALUE_NULL -> Kind.NULL;
            case START_OBJECT -> Kind.OBJECT;
            case START_ARRAY -> Kind.ARRAY;
            default -> throw new IllegalStateException("not a value: " + value);
        };
    }
}
