package io.eventsink.service.epas;

import java.util.List;

/**
 * What the validator concluded about one request body.
 *
 * @param type          the event type, or null when the body is not a valid event
 * @param sessionId     the session id when the body had a string {@code sessionId}, else null
 * @param timestampText the {@code timestamp} number exactly as written, for the {@code Time} attribute
 * @param json          the body decoded as UTF-8 (byte-identical when re-encoded), null when undecodable
 * @param errors        what is wrong, empty when valid
 */
public record ValidationResult(
        EventType type, String sessionId, String timestampText, String json, List<String> errors) {

    public boolean valid() {
        return errors.isEmpty();
    }
}
