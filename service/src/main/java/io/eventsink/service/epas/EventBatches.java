package io.eventsink.service.epas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a batch body into its events, as byte slices exactly as the client wrote them (each is
 * then validated on its own and, when valid, delivered byte for byte): a JSON array of events, or
 * NDJSON (one event per line). Only the array's own structure is checked here.
 */
public final class EventBatches {

    /** A split body: its events, or why it is not a batch, or that it has too many events. */
    public sealed interface Split permits Events, NotABatch, TooMany {}

    public record Events(List<byte[]> events) implements Split {}

    public record NotABatch(String reason) implements Split {}

    public record TooMany(int limit) implements Split {}

    private EventBatches() {}

    /** The first byte that is not JSON whitespace, or -1. */
    public static int firstNonBlank(byte[] body) {
        for (byte b : body) {
            if (!blank(b)) {
                return b & 0xFF;
            }
        }
        return -1;
    }

    /** A JSON array of events: {@code [ {...}, {...} ]}. */
    public static Split array(byte[] body, int maxEvents) {
        int i = skipBlank(body, 0);
        if (i >= body.length || body[i] != '[') {
            return new NotABatch("body: expected a JSON array of events");
        }
        i = skipBlank(body, i + 1);
        List<byte[]> events = new ArrayList<>();
        if (i < body.length && body[i] == ']') {
            return trailing(body, i + 1, events);
        }
        while (true) {
            int start = i;
            int depth = 0;
            boolean inString = false;
            for (; i < body.length; i++) {
                byte b = body[i];
                if (inString) {
                    if (b == '\\') {
                        i++;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (b == ',' && depth == 0) {
                    break;
                }
            }
            if (i >= body.length) {
                return new NotABatch("body: the JSON array is not closed");
            }
            byte[] event = trim(body, start, i);
            if (event.length == 0) {
                return new NotABatch("body: an empty element at position " + events.size() + " of the array");
            }
            if (events.size() == maxEvents) {
                return new TooMany(maxEvents);
            }
            events.add(event);
            if (body[i] == ']') {
                return trailing(body, i + 1, events);
            }
            if (body[i] != ',') {
                return new NotABatch("body: malformed JSON array at byte " + i);
            }
            i = skipBlank(body, i + 1);
        }
    }

    private static Split trailing(byte[] body, int from, List<byte[]> events) {
        if (skipBlank(body, from) != body.length) {
            return new NotABatch("body: unexpected data after the JSON array");
        }
        if (events.isEmpty()) {
            return new NotABatch("body: the array holds no events");
        }
        return new Events(events);
    }

    /** NDJSON: one event per line; blank lines are skipped, a CR before the LF is allowed. */
    public static Split ndjson(byte[] body, int maxEvents) {
        List<byte[]> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                byte[] line = trim(body, start, i);
                if (line.length > 0) {
                    if (events.size() == maxEvents) {
                        return new TooMany(maxEvents);
                    }
                    events.add(line);
                }
                start = i + 1;
            }
        }
        if (events.isEmpty()) {
            return new NotABatch("body: no events, expected one JSON event per line");
        }
        return new Events(events);
    }

    private static byte[] trim(byte[] body, int from, int to) {
        while (from < to && blank(body[from])) {
            from++;
        }
        while (to > from && blank(body[to - 1])) {
            to--;
        }
        return Arrays.copyOfRange(body, from, to);
    }

    private static int skipBlank(byte[] body, int i) {
        while (i < body.length && blank(body[i])) {
            i++;
        }
        return i;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
