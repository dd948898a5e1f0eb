package io.eventsink.service.delivery.sqs;

import io.eventsink.service.delivery.BatchWriter.EntryOutcome;
import io.eventsink.service.delivery.format.MessageAttribute;
import io.eventsink.service.delivery.format.QueueMessage;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The SQS JSON protocol (awsJson1_0) for the two calls EventSink makes: SendMessageBatch and
 * GetQueueAttributes. Requests are written straight into bytes; responses are read with a
 * streaming parser, every entry accounted for.
 */
final class SqsJson {

    static final String SEND_MESSAGE_BATCH = "AmazonSQS.SendMessageBatch";
    static final String GET_QUEUE_ATTRIBUTES = "AmazonSQS.GetQueueAttributes";
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private SqsJson() {}

    /** The SendMessageBatch body; entry ids are the positions 0..n-1 in the batch. */
    static byte[] sendMessageBatch(String queueUrl, List<QueueMessage> batch) {
        int estimate = 64 + queueUrl.length();
        for (QueueMessage m : batch) {
            // JSON in a JSON string: quotes are escaped, so allow for growth
            estimate += m.payloadBytes()
                    + m.payloadBytes() / 4
                    + 128
                    + 48 * m.attributes().size();
        }
        Out out = new Out(estimate);
        out.ascii("{\"QueueUrl\":").string(queueUrl).ascii(",\"Entries\":[");
        for (int i = 0; i < batch.size(); i++) {
            QueueMessage m = batch.get(i);
            out.ascii(i == 0 ? "{\"Id\":\"" : ",{\"Id\":\"")
                    .ascii(Integer.toString(i))
                    .ascii("\",\"MessageBody\":");
            out.string(m.body()).ascii(",\"MessageAttributes\":{");
            List<MessageAttribute> attributes = m.attributes();
            for (int a = 0; a < attributes.size(); a++) {
                MessageAttribute attribute = attributes.get(a);
                out.ascii(a == 0 ? "\"" : ",\"")
                        .ascii(attribute.name())
                        .ascii("\":{\"DataType\":\"")
                        .ascii(attribute.type())
                        .ascii("\",\"StringValue\":");
                out.string(attribute.value()).ascii("}");
            }
            out.ascii("}}");
        }
        out.ascii("]}");
        return out.bytes();
    }

    /** The GetQueueAttributes body asking for the queue's ARN only: the cheapest reachability check. */
    static byte[] getQueueArn(String queueUrl) {
        return new Out(96 + queueUrl.length())
                .ascii("{\"QueueUrl\":")
                .string(queueUrl)
                .ascii(",\"AttributeNames\":[\"QueueArn\"]}")
                .bytes();
    }

    /**
     * One outcome per message of {@code batch}, from a SendMessageBatch response. An entry the
     * response does not mention, or whose body checksum does not match what was sent, is retried.
     */
    static List<EntryOutcome> outcomes(byte[] response, List<QueueMessage> batch) {
        EntryOutcome[] outcomes = new EntryOutcome[batch.size()];
        Arrays.fill(outcomes, EntryOutcome.RETRY);
        try (JsonParser p = PARSERS.createParser(new ByteArrayInputStream(response))) {
            expect(p, JsonParser.Event.START_OBJECT);
            while (p.next() == JsonParser.Event.KEY_NAME) {
                String key = p.getString();
                JsonParser.Event value = p.next();
                if (value == JsonParser.Event.START_ARRAY && (key.equals("Successful") || key.equals("Failed"))) {
                    boolean successful = key.equals("Successful");
                    while (p.next() == JsonParser.Event.START_OBJECT) {
                        Entry entry = entry(p);
                        int id = entry.index(batch.size());
                        if (id < 0) {
                            continue; // not one of ours: the ones we sent stay RETRY
                        }
                        outcomes[id] = successful
                                ? (entry.md5 == null
                                                || entry.md5.equals(
                                                        md5Hex(batch.get(id).body()))
                                        ? EntryOutcome.DELIVERED
                                        : EntryOutcome.RETRY)
                                : (entry.senderFault ? EntryOutcome.REJECTED : EntryOutcome.RETRY);
                    }
                } else {
                    skip(p, value);
                }
            }
        }
        return List.of(outcomes);
    }

    private static Entry entry(JsonParser p) {
        Entry e = new Entry();
        while (p.next() == JsonParser.Event.KEY_NAME) {
            String key = p.getString();
            JsonParser.Event value = p.next();
            switch (key) {
                case "Id" -> e.id = value == JsonParser.Event.VALUE_STRING ? p.getString() : null;
                case "MD5OfMessageBody" -> e.md5 = value == JsonParser.Event.VALUE_STRING ? p.getString() : null;
                case "SenderFault" -> e.senderFault = value == JsonParser.Event.VALUE_TRUE;
                default -> skip(p, value);
            }
        }
        return e;
    }

    private static final class Entry {
        String id;
        String md5;
        boolean senderFault;

        int index(int size) {
            if (id == null || id.isEmpty() || id.length() > 3) {
                return -1;
            }
            try {
                int i = Integer.parseInt(id);
                return i >= 0 && i < size ? i : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    private static void expect(JsonParser p, JsonParser.Event wanted) {
        if (!p.hasNext() || p.next() != wanted) {
            throw new JsonException("expected " + wanted);
        }
    }

    private static void skip(JsonParser p, JsonParser.Event value) {
        if (value == JsonParser.Event.START_OBJECT) {
            p.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
            p.skipArray();
        }
    }

    static String md5Hex(String body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** A growable byte buffer that writes JSON strings with the escapes RFC 8259 requires. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        Out ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out string(String s) {
            ensure(s.length() * 3 + 2);
            buf[len++] = '"';
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else if (c == '"' || c == '\\') {
                    ensure(2 + (s.length() - i) * 3);
                    buf[len++] = '\\';
                    buf[len++] = (byte) c;
                } else if (c < 0x20) {
                    ensure(6 + (s.length() - i) * 3);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = '0';
                    buf[len++] = '0';
                    buf[len++] = HEX[c >> 4];
                    buf[len++] = HEX[c & 0xF];
                } else if (Character.isHighSurrogate(c)
                        && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[len++] = (byte) (0xF0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else if (c < 0x800) {
                    buf[len++] = (byte) (0xC0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    // lone surrogates cannot reach here: bodies are strictly decoded UTF-8
                    buf[len++] = (byte) (0xE0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            buf[len++] = '"';
            return this;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] bytes() {
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }
    }
}
