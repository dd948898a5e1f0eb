package io.eventsink.consumer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads an EventSink SQS message into its events. Two formats (docs/queue-format.md): the event
 * format, one event per message with its attributes; and the packed format ({@code Format} =
 * {@code epas-ndjson}), an NDJSON body of envelope lines, possibly gzip-compressed and base64-encoded
 * ({@code ContentEncoding} = {@code gzip}). Either way each event comes back with the attributes the
 * event format carries, so a worker reads both the same way.
 */
public final class QueueMessages {

    public static final String FORMAT = "Format";
    public static final String PACKED = "epas-ndjson";
    public static final String EVENT_COUNT = "EventCount";
    public static final String CONTENT_ENCODING = "ContentEncoding";
    public static final String EVENT = "Event";
    public static final String TIME = "Time";
    public static final String RECEIVED_AT = "ReceivedAt";
    public static final String ORIGIN = "Origin";
    public static final String SHARD_ID = "ShardId";
    public static final String SOURCE = "Source";

    /** A gzip body inflates to at most this: far above what a 1 MiB message holds of real events. */
    private static final int MAX_INFLATED = 64 * 1024 * 1024;

    private QueueMessages() {}

    /**
     * The events of one message.
     *
     * @param body       the message body
     * @param attributes its message attributes, name to string value (SQS gives Number values as text)
     */
    public static List<QueueEvent> read(String body, Map<String, String> attributes) throws UnreadableMessageException {
        String format = attributes.get(FORMAT);
        if (format == null) {
            return List.of(new QueueEvent(body, eventFormatAttributes(attributes)));
        }
        if (!format.equals(PACKED)) {
            throw new UnreadableMessageException("unknown Format " + format);
        }
        String encoding = attributes.get(CONTENT_ENCODING);
        String ndjson;
        if (encoding == null) {
            ndjson = body;
        } else if (encoding.equals("gzip")) {
            ndjson = gunzip(body);
        } else {
            throw new UnreadableMessageException("unknown ContentEncoding " + encoding);
        }
        List<QueueEvent> events = new ArrayList<>();
        int from = 0;
        while (from < ndjson.length()) {
            int end = ndjson.indexOf('\n', from);
            if (end < 0) {
                end = ndjson.length();
            }
            if (end > from) {
                events.add(line(ndjson.substring(from, end)));
            }
            from = end + 1;
        }
        String count = attributes.get(EVENT_COUNT);
        if (count == null || !count.equals(Integer.toString(events.size()))) {
            throw new UnreadableMessageException(
                    "EventCount " + count + " but " + events.size() + " lines: the message is damaged");
        }
        return events;
    }

    private static Map<String, String> eventFormatAttributes(Map<String, String> attributes) {
        Map<String, String> known = new HashMap<>();
        for (String name : List.of(EVENT, TIME, RECEIVED_AT, ORIGIN, SHARD_ID, SOURCE)) {
            String value = attributes.get(name);
            if (value != null) {
                known.put(name, value);
            }
        }
        return known;
    }

    /** One envelope: {@code receivedAt}, {@code origin}?, {@code source}?, and the event under {@code epas}. */
    private static QueueEvent line(String line) throws UnreadableMessageException {
        Map<String, String> envelope = JsonScan.members(line);
        String event = envelope.get("epas");
        String receivedAt = envelope.get("receivedAt");
        if (event == null || !event.startsWith("{") || receivedAt == null) {
            throw new UnreadableMessageException("a line without its epas event or receivedAt");
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put(RECEIVED_AT, receivedAt);
        putString(attributes, ORIGIN, envelope.get("origin"));
        putString(attributes, SOURCE, envelope.get("source"));
        // what the event format carries as attributes, the event carries itself
        Map<String, String> fields = JsonScan.members(event);
        putString(attributes, EVENT, fields.get("event"));
        String timestamp = fields.get("timestamp");
        if (timestamp != null && !timestamp.startsWith("\"")) {
            attributes.put(TIME, timestamp);
        }
        putString(attributes, SHARD_ID, fields.get("shardId"));
        return new QueueEvent(event, attributes);
    }

    private static void putString(Map<String, String> attributes, String name, String literal)
            throws UnreadableMessageException {
        if (literal != null && literal.startsWith("\"")) {
            attributes.put(name, JsonScan.decode(literal));
        }
    }

    private static String gunzip(String base64) throws UnreadableMessageException {
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UnreadableMessageException("ContentEncoding gzip but the body is not base64", e);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] inflated = in.readNBytes(MAX_INFLATED + 1);
            if (inflated.length > MAX_INFLATED) {
                throw new UnreadableMessageException("the body inflates beyond " + MAX_INFLATED + " bytes");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(inflated))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableMessageException("the inflated body is not UTF-8", e);
        } catch (IOException e) {
            throw new UnreadableMessageException("ContentEncoding gzip but the body is not a gzip stream", e);
        }
    }
}
