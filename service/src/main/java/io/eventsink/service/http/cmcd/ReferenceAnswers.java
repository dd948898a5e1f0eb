package io.eventsink.service.http.cmcd;

import io.eventsink.service.http.ingest.JsonBodies;
import java.util.List;

/** The answer bodies player-analytics-eventsink gives its JSON clients on /cmcd. */
final class ReferenceAnswers {

    private ReferenceAnswers() {}

    /** One event's line in an answer. */
    record Result(String event, boolean success, String error) {}

    /**
     * {@code {"sessionId", "eventsProcessed", "totalEvents", "results": [{"event", "success", "error"?}]}}.
     */
    static byte[] answer(String sessionId, List<Result> results) {
        return JsonBodies.write(128 + 64 * results.size(), g -> {
            g.writeStartObject();
            if (sessionId != null) {
                g.write("sessionId", sessionId);
            } else {
                g.writeNull("sessionId");
            }
            g.write("eventsProcessed", (int)
                            results.stream().filter(Result::success).count())
                    .write("totalEvents", results.size())
                    .writeStartArray("results");
            for (Result r : results) {
                g.writeStartObject().write("event", r.event()).write("success", r.success());
                if (r.error() != null) {
                    g.write("error", r.error());
                }
                g.writeEnd();
            }
            g.writeEnd().writeEnd();
        });
    }

    /** {@code {"error": ..., "details": [...]}}: its error shape. */
    static byte[] error(String error, List<String> details) {
        return JsonBodies.write(128, g -> {
            g.writeStartObject().write("error", error);
            if (!details.isEmpty()) {
                g.writeStartArray("details");
                details.forEach(g::write);
                g.writeEnd();
            }
            g.writeEnd();
        });
    }
}
