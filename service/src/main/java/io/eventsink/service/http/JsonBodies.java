package io.eventsink.service.http;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * The response bodies of the HTTP contract (for single events and /cmcd's JSON clients, the shapes
 * of Eyevinn's player-analytics-eventsink). Built with a JSON generator, so anything echoed from
 * the client (session id, key names) is escaped.
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

    /** One event's line in a batch answer. */
    record BatchResult(String sessionId, String status, List<String> errors, String reason) {}

    /**
     * The answer to a batch: counts, then one result per event in order, {@code status} being
     * {@code stored}, {@code invalid} (with its errors; do not resend) or {@code not_stored} (with
     * the reason; resend it later).
     */
    static byte[] batch(List<BatchResult> results, Long heartbeatIntervalMs) {
        int stored = 0;
        int invalid = 0;
        for (BatchResult r : results) {
            stored += r.status().equals("stored") ? 1 : 0;
            invalid += r.status().equals("invalid") ? 1 : 0;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 96 * results.size());
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject()
                    .write("valid", invalid == 0)
                    .write("events", results.size())
                    .write("stored", stored)
                    .write("invalid", invalid)
                    .write("notStored", results.size() - stored - invalid);
            if (heartbeatIntervalMs != null) {
                g.write("heartbeatInterval", heartbeatIntervalMs); // a batch that started a session
            }
            g.writeStartArray("results");
            for (int i = 0; i < results.size(); i++) {
                BatchResult r = results.get(i);
                g.writeStartObject().write("index", i);
                if (r.sessionId() != null) {
                    g.write("sessionId", r.sessionId());
                } else {
                    g.write("sessionId", -1);
                }
                g.write("status", r.status());
                if (r.errors() != null) {
                    g.writeStartArray("errors");
                    r.errors().forEach(g::write);
                    g.writeEnd();
                }
                if (r.reason() != null) {
                    g.write("reason", r.reason());
                }
                g.writeEnd();
            }
            g.writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    /** {@code {"message": ..., "errors": [...]}}: a refusal of a whole request that is not about one event. */
    static byte[] message(String message, List<String> errors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject().write("message", message).writeStartArray("errors");
            errors.forEach(g::write);
            g.writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    /** One event's line in an answer of the player-analytics-eventsink JSON shapes on /cmcd. */
    record ReferenceResult(String event, boolean success, String error) {}

    /**
     * The answer player-analytics-eventsink gives its JSON clients on /cmcd:
     * {@code {"sessionId", "eventsProcessed", "totalEvents", "results": [{"event", "success", "error"?}]}}.
     */
    static byte[] referenceAnswer(String sessionId, List<ReferenceResult> results, List<String> warnings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 64 * results.size());
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            if (sessionId != null) {
                g.write("sessionId", sessionId);
            } else {
                g.writeNull("sessionId");
            }
            g.write("eventsProcessed", (int)
                            results.stream().filter(ReferenceResult::success).count())
                    .write("totalEvents", results.size())
                    .writeStartArray("results");
            for (ReferenceResult r : results) {
                g.writeStartObject().write("event", r.event()).write("success", r.success());
                if (r.error() != null) {
                    g.write("error", r.error());
                }
                g.writeEnd();
            }
            g.writeEnd();
            if (!warnings.isEmpty()) {
                g.writeStartArray("warnings");
                warnings.forEach(g::write);
                g.writeEnd();
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }

    /** {@code {"error": ..., "details": [...]}}: player-analytics-eventsink's error shape on /cmcd. */
    static byte[] referenceError(String error, List<String> details) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject().write("error", error);
            if (!details.isEmpty()) {
                g.writeStartArray("details");
                details.forEach(g::write);
                g.writeEnd();
            }
            g.writeEnd();
        }
        return out.toByteArray();
    }
}
