package io.eventsink.service.epas;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * Validates one EPAS 0.5.0 event with a single streaming pass and no object tree: the raw body
 * is what goes to the queue, so we only need to know whether it is valid and pick out the
 * fields the queue message attributes need. The rules are {@link EpasRules}; one pass is an
 * {@link EventScan}. Thread-safe; one instance serves all requests.
 */
public final class EventValidator {

    // A shared factory: Json.createParser makes a new one for every parser, which is far slower (bench/README.md).
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private final JsonNesting nesting;
    private final Pattern shardIdPattern;

    /**
     * @param maxDepth the deepest nesting accepted (the event object itself is depth 1)
     */
    public EventValidator(int maxDepth, Pattern shardIdPattern) {
        this.nesting = new JsonNesting(maxDepth);
        this.shardIdPattern = shardIdPattern;
    }

    /** Validates a request body. Never throws for any input. */
    public ValidationResult validate(byte[] body) {
        if (isBlank(body)) {
            return rejected(null, "body: empty, expected one JSON event object");
        }
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            return rejected(null, "body: starts with a byte order mark, which JSON over HTTP must not");
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
            return rejected(null, "body: not valid UTF-8");
        }
        if (json.indexOf('\uFFFE') >= 0 || json.indexOf('\uFFFF') >= 0) {
            // Valid JSON, but SQS refuses these code points in message bodies.
            return rejected(json, "body: contains U+FFFE or U+FFFF, which the queue cannot carry");
        }
        EventScan scan = new EventScan(nesting, shardIdPattern);
        try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            scan.run(parser);
        } catch (JsonParsingException e) {
            scan.fatal("body: malformed JSON" + where(e.getLocation()));
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            scan.fatal("body: malformed JSON");
        } catch (JsonNesting.TooDeep e) {
            scan.fatal("body: nested deeper than " + nesting.maxDepth() + " levels");
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

    private static ValidationResult rejected(String json, String error) {
        return new ValidationResult(ValidationResult.Kind.MALFORMED, null, null, null, null, json, List.of(error));
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
}
