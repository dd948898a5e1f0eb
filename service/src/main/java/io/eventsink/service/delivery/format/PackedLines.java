package io.eventsink.service.delivery.format;

import io.eventsink.service.delivery.QueuedEvent;
import java.util.List;

/**
 * The packed format's body: NDJSON, one envelope line per event —
 * {@code {"receivedAt":<ms>,"origin":"…","source":"…","epas":<event>}} and a line feed, {@code origin}
 * and {@code source} only when present. The event is the player's JSON with raw CR and LF (which
 * valid JSON has only as whitespace) turned into spaces, so each event stays on one line.
 */
public final class PackedLines {

    public static final String FORMAT = "epas-ndjson";

    private static final String RECEIVED_AT = "{\"receivedAt\":";
    private static final String ORIGIN = ",\"origin\":";
    private static final String SOURCE = ",\"source\":";
    private static final String EPAS = ",\"epas\":";

    /** The attributes of a packed message without compression, at their largest (a 7-digit count). */
    public static final int ATTRIBUTE_BYTES_MAX = attributes(9_999_999, false).stream()
            .mapToInt(MessageAttribute::bytes)
            .sum();

    /** The same with gzip. */
    public static final int GZIP_ATTRIBUTE_BYTES_MAX = attributes(9_999_999, true).stream()
            .mapToInt(MessageAttribute::bytes)
            .sum();

    private PackedLines() {}

    /** One event's line, with its line feed. */
    public static String line(QueuedEvent e) {
        StringBuilder out = new StringBuilder(e.json().length() + 64);
        out.append(RECEIVED_AT).append(e.receivedAtMs());
        if (e.origin() != null) {
            appendString(out.append(ORIGIN), e.origin());
        }
        if (e.source() != null) {
            appendString(out.append(SOURCE), e.source());
        }
        out.append(EPAS);
        String json = e.json();
        if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
            out.append(json);
        } else {
            out.append(json.replace('\n', ' ').replace('\r', ' '));
        }
        return out.append("}\n").toString();
    }

    /** The UTF-8 bytes of {@link #line}: the event's own bytes plus the envelope's ASCII. */
    public static int lineBytes(QueuedEvent e, String line) {
        // everything but the event is ASCII (origin is printable ASCII, source ours): one byte a char
        return line.length() - e.json().length() + e.bytes();
    }

    /** A packed message's attributes. */
    public static List<MessageAttribute> attributes(int eventCount, boolean gzip) {
        MessageAttribute format = MessageAttribute.string("Format", FORMAT);
        MessageAttribute count = MessageAttribute.number("EventCount", eventCount);
        return gzip
                ? List.of(format, count, MessageAttribute.string("ContentEncoding", "gzip"))
                : List.of(format, count);
    }

    /** A JSON string of printable ASCII: only the quote and the backslash need escaping. */
    private static void appendString(StringBuilder out, String ascii) {
        out.append('"');
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
