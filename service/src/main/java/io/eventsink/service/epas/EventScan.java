package io.eventsink.service.epas;

import io.eventsink.service.epas.EpasRules.Member;
import io.eventsink.service.epas.EpasRules.PayloadRule;
import jakarta.json.stream.JsonParser;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One validation pass over one event: reads its members from the streaming parser, checks each
 * against {@link EpasRules}, and keeps what the queue message needs. Not thread-safe: one per event.
 */
final class EventScan implements JsonNesting.NumberCheck {

    /**
     * Numbers must be ones a JSON reader downstream can read: Jackson refuses more than 1,000
     * characters by default (Jakarta JSON's Parsson 1,100), and BigDecimal an exponent beyond an int.
     * Huge but readable numbers (1e400) stay numbers: the body goes to the queue as sent.
     */
    static final int MAX_NUMBER_CHARS = 1000;

    /** Keys and values we echo back in error messages are cut to this length. */
    private static final int MAX_ECHO = 64;
    /** Enough to say what is wrong without letting a hostile body produce a huge response. */
    private static final int MAX_ERRORS = 20;

    private final JsonNesting nesting;
    private final Pattern shardIdPattern;

    final List<String> errors = new ArrayList<>(2);
    /** The body could not be read to its end: the one error is about that. */
    boolean fatal;

    private final EnumSet<Member> seen = EnumSet.noneOf(Member.class);
    EventType type;
    String sessionId;
    String shardId;
    String timestampText;
    /** Payload member name -> kind of its value; null when the event had no object payload. */
    private Map<String, JsonKind> payload;

    EventScan(JsonNesting nesting, Pattern shardIdPattern) {
        this.nesting = nesting;
        this.shardIdPattern = shardIdPattern;
    }

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

    /** Reads the event object; the parser throws on malformed JSON, the walker on nesting too deep. */
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
        Member member = Member.named(key);
        if (member == null) {
            error(echo(key) + ": unknown property");
            nesting.skip(parser, value, 1, this, echo(key));
            return;
        }
        if (!seen.add(member)) {
            error(key + ": appears more than once");
            nesting.skip(parser, value, 1, this, key);
            return;
        }
        if (value == JsonParser.Event.VALUE_NUMBER) {
            number(parser, key);
        }
        JsonKind kind = JsonKind.of(value);
        if (kind != member.kind) {
            error(key + ": expected " + member.kind.label + ", got " + kind.label);
            nesting.skip(parser, value, 1, this, key);
            return;
        }
        switch (member) {
            case EVENT -> {
                String name = parser.getString();
                type = EventType.fromWireName(name);
                if (type == null) {
                    error("event: unknown type '" + echo(name) + "'");
                }
            }
            case SESSION_ID -> sessionId = parser.getString();
            case TIMESTAMP -> timestampText = parser.getString();
            case PLAYHEAD, DURATION -> {}
            case SHARD_ID -> {
                String id = parser.getString();
                // Downstream workers pick a table by it: nothing but what the pattern allows gets through.
                if (shardIdPattern.matcher(id).matches()) {
                    shardId = id;
                } else {
                    error("shardId: must match " + shardIdPattern.pattern());
                }
            }
            case PAYLOAD -> payload = readPayload(parser);
        }
    }

    /** Reads the payload's members (depth 2) and skips nested values (e.g. error data). */
    private Map<String, JsonKind> readPayload(JsonParser parser) {
        Map<String, JsonKind> members = new HashMap<>(8);
        while (true) {
            JsonParser.Event e = parser.next();
            if (e == JsonParser.Event.END_OBJECT) {
                return members;
            }
            String key = parser.getString();
            JsonParser.Event value = parser.next();
            if (members.put(key, JsonKind.of(value)) != null) {
                error("payload." + echo(key) + ": appears more than once");
            }
            if (value == JsonParser.Event.VALUE_NUMBER) {
                number(parser, "payload." + echo(key));
            }
            nesting.skip(parser, value, 2, this, "payload." + echo(key));
        }
    }

    /** Reports a number (the parser's current value) that readers downstream could not hold. */
    @Override
    public void number(JsonParser parser, String where) {
        if (!holdable(parser.getString())) {
            error(where + ": number out of range (at most " + MAX_NUMBER_CHARS
                    + " characters, exponent within an int)");
        }
    }

    /** The rules that need the whole event: required members, and the payload its type carries. */
    void checkSemantics() {
        for (Member member : Member.REQUIRED) {
            if (!seen.contains(member)) {
                error(member.wireName + ": required");
            }
        }
        if (type == null) {
            return;
        }
        boolean payloadSeen = seen.contains(Member.PAYLOAD);
        PayloadRule rule = type.payloadRule();
        String name = type.wireName();
        if (!rule.allowsPayload()) {
            if (payloadSeen) {
                error("payload: not allowed for event '" + name + "'");
            }
            return;
        }
        if (!payloadSeen) {
            error("payload: required for event '" + name + "'");
            return;
        }
        if (payload != null) { // else of the wrong kind, already reported
            checkPayload(rule, name);
        }
    }

    private void checkPayload(PayloadRule rule, String name) {
        if (rule.required != null && !payload.containsKey(rule.required)) {
            error("payload." + rule.required + ": required for event '" + name + "'");
        }
        for (Map.Entry<String, JsonKind> member : payload.entrySet()) {
            String key = member.getKey();
            JsonKind kind = member.getValue();
            JsonKind expected = rule.members.get(key);
            if (expected != null) {
                if (kind != expected) {
                    error("payload." + key + ": expected " + expected.label + ", got " + kind.label);
                }
            } else if (rule.others.isEmpty()) {
                error("payload." + echo(key) + ": unknown property for event '" + name + "'");
            } else if (!rule.others.contains(kind)) {
                error("payload." + echo(key) + ": expected " + rule.othersLabel + ", got " + kind.label);
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

    /** Cuts a client-supplied string for use inside an error message (JSON escaping happens later). */
    static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }
}
