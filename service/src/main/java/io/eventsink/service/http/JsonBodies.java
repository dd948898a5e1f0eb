package io.eventsink.service.http;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * The response bodies of the HTTP contract (the same shapes as Eyevinn's player-analytics-eventsink). Built with a JSON generator so that
 * anything echoed from the client (session id, key names) is escaped.
 */
final class JsonBodies {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private JsonBodies() {}

    /** {@code {"sessionId": ..., "valid": true}}. */
    static byte[] accepted(String sessionId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject()
                    .write("sessionId", sessionId)
                    .write("valid", true)
                    .writeEnd();
        }
        return out.toByteArray();
    }

    /** {@code {"sessionId": ..., "heartbeatInterval": ms, "valid": true}}: the answer to {@code init}. */
    static byte[] initAccepted(String sessionId, long heartbeatIntervalMs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject()
                    .write("sessionId", sessionId)
                    .write("heartbeatInterval", heartbeatIntervalMs)
                    .write("valid", true)
                    .writeEnd();
        }
        return out.toByteArray();
    }

    /**
     * {@code {"sessionId": <id or -1>, "message": ..., "valid": false, "errors": [...]}}: every
     * refusal of {@code POST /} has this shape, so clients parse one thing.
     */
    static byte[] refused(String sessionId, String message, List<String> errors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            if (sessionId != null) {
                g.write("sessionId", sessionId);
            } else {
                g.write("sessionId", -1);
            }
            g.write("message", message).write("valid", false);
            g.writeStartArray("errors");
            for (String error : errors) {
                g.write(error);
            }
            g.writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    /** {@code {"sessionId": ..., "message": ..., "errors": [why]}}: a valid event the queue has not stored. */
    static byte[] notStored(String sessionId, String message, String why) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject().write("sessionId", sessionId).write("message", message);
            g.writeStartArray("errors").write(why).writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    /** {@code {"message": ...}} for everything that is not about an event (404, 405). */
    static byte[] message(String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject().write("message", message).writeEnd();
        }
        return out.toByteArray();
    }
}
