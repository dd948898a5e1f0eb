package io.eventsink.service.http.epas;

import io.eventsink.service.http.ingest.JsonBodies;
import jakarta.json.stream.JsonGenerator;
import java.util.List;

/** The answer bodies of {@code POST /} (for single events, the shapes of Eyevinn's player-analytics-eventsink). */
final class EpasAnswers {

    private EpasAnswers() {}

    /** {@code {"sessionId": ..., "valid": true}}. */
    static byte[] accepted(String sessionId) {
        return JsonBodies.write(
                96,
                g -> g.writeStartObject()
                        .write("sessionId", sessionId)
                        .write("valid", true)
                        .writeEnd());
    }

    /** {@code {"sessionId": ..., "heartbeatInterval": ms, "valid": true}}: the answer to {@code init}. */
    static byte[] initAccepted(String sessionId, long heartbeatIntervalMs) {
        return JsonBodies.write(
                128,
                g -> g.writeStartObject()
                        .write("sessionId", sessionId)
                        .write("heartbeatInterval", heartbeatIntervalMs)
                        .write("valid", true)
                        .writeEnd());
    }

    /**
     * {@code {"sessionId": <id or -1>, "message": ..., "valid": false, "errors": [...]}}: every
     * refusal of {@code POST /} has this shape, so clients parse one thing.
     */
    static byte[] refused(String sessionId, String message, List<String> errors) {
        return JsonBodies.write(256, g -> {
            g.writeStartObject();
            sessionIdOrMinusOne(g, sessionId);
            g.write("message", message).write("valid", false);
            g.writeStartArray("errors");
            errors.forEach(g::write);
            g.writeEnd().writeEnd();
        });
    }

    /** {@code {"sessionId": ..., "message": ..., "errors": [why]}}: a valid event the queue has not stored. */
    static byte[] notStored(String sessionId, String message, String why) {
        return JsonBodies.write(160, g -> {
            g.writeStartObject().write("sessionId", sessionId).write("message", message);
            g.writeStartArray("errors").write(why).writeEnd().writeEnd();
        });
    }

    /** One event's line in a batch answer. */
    record BatchResult(String sessionId, BatchStatus status, List<String> errors, String reason) {}

    /**
     * The answer to a batch: counts, then one result per event in order, {@code status} being
     * {@code stored}, {@code invalid} (with its errors; do not resend) or {@code not_stored} (with
     * the reason; resend it later).
     */
    static byte[] batch(List<BatchResult> results, Long heartbeatIntervalMs) {
        int stored = count(results, BatchStatus.STORED);
        int invalid = count(results, BatchStatus.INVALID);
        return JsonBodies.write(64 + 96 * results.size(), g -> {
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
                sessionIdOrMinusOne(g, r.sessionId());
                g.write("status", r.status().wireName);
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
        });
    }

    private static int count(List<BatchResult> results, BatchStatus status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }

    /** An event without a readable session id is {@code -1}, as player-analytics-eventsink says it. */
    private static void sessionIdOrMinusOne(JsonGenerator g, String sessionId) {
        if (sessionId != null) {
            g.write("sessionId", sessionId);
        } else {
            g.write("sessionId", -1);
        }
    }
}
