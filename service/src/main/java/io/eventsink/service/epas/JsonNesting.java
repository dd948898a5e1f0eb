package io.eventsink.service.epas;

import jakarta.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The one walker of JSON nesting: consumes containers from a streaming parser while counting
 * their depth, so that absurd nesting is refused as soon as it passes the limit instead of being
 * walked to its end (or recursed into by an object reader). Thread-safe.
 */
public final class JsonNesting {

    /** Told of every number inside a skipped container (the parser's current value). */
    interface NumberCheck {
        void number(JsonParser parser, String where);
    }

    /** The nesting went past the limit; thrown without a stack trace, it is an answer, not a bug. */
    static final class TooDeep extends RuntimeException {
        TooDeep() {
            super(null, null, false, false);
        }
    }

    private static final NumberCheck IGNORE_NUMBERS = (parser, where) -> {};
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final int maxDepth;

    /** @param maxDepth the deepest nesting accepted (a top-level object or array is depth 1) */
    public JsonNesting(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public int maxDepth() {
        return maxDepth;
    }

    /**
     * Consumes the value whose first event was just read (nothing to do unless it starts a
     * container), {@code parentDepth} being the depth of the container holding it.
     *
     * @throws TooDeep when the value nests deeper than the limit
     */
    void skip(JsonParser parser, JsonParser.Event start, int parentDepth, NumberCheck numbers, String where) {
        if (start != JsonParser.Event.START_OBJECT && start != JsonParser.Event.START_ARRAY) {
            return;
        }
        int depth = parentDepth + 1;
        if (depth > maxDepth) {
            throw new TooDeep();
        }
        int open = 1;
        while (open > 0) {
            JsonParser.Event e = parser.next();
            if (e == JsonParser.Event.START_OBJECT || e == JsonParser.Event.START_ARRAY) {
                open++;
                if (depth + open - 1 > maxDepth) {
                    throw new TooDeep();
                }
            } else if (e == JsonParser.Event.END_OBJECT || e == JsonParser.Event.END_ARRAY) {
                open--;
            } else if (e == JsonParser.Event.VALUE_NUMBER) {
                numbers.number(parser, where);
            }
        }
    }

    /**
     * Whether a JSON text nests deeper than the limit, read with the streaming parser before an
     * object reader (which recurses) may take it. Malformed JSON, a text cut short included, throws
     * the parser's exception (or gives false if the parser just runs out of events: the reader then
     * says it is malformed).
     */
    public boolean exceededBy(byte[] json) {
        try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(json))) {
            while (parser.hasNext()) {
                skip(parser, parser.next(), 0, IGNORE_NUMBERS, null);
            }
            return false;
        } catch (TooDeep e) {
            return true;
        } catch (NoSuchElementException endedEarly) {
            return false;
        }
    }
}
