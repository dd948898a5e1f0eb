package io.eventsink.service.http.ingest;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Answer bodies, built with a JSON generator so that anything echoed from the client (session
 * id, key names) is escaped; and the bodies that are not about events.
 */
public final class JsonBodies {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private JsonBodies() {}

    /** The bytes {@code body} writes, {@code expectedSize} being a guess at their number. */
    public static byte[] write(int expectedSize, Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(expectedSize);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            body.accept(g);
        }
        return out.toByteArray();
    }

    /** {@code {"message": ...}} for everything that is not about an event (404, 405). */
    public static byte[] message(String message) {
        return write(64, g -> g.writeStartObject().write("message", message).writeEnd());
    }

    /** {@code {"message": ..., "errors": [...]}}: a refusal of a whole request that is not about one event. */
    public static byte[] message(String message, List<String> errors) {
        return write(128, g -> {
            g.writeStartObject().write("message", message).writeStartArray("errors");
            errors.forEach(g::write);
            g.writeEnd().writeEnd();
        });
    }
}
