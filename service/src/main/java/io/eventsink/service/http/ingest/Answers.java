package io.eventsink.service.http.ingest;

import io.eventsink.service.http.connection.ConnectionGuard;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;

/** Sends answers on the public port, with the headers every answer carries. */
public final class Answers {

    /** The EPAS version this sink validates, sent on every answer as player-analytics-eventsink does. */
    public static final String EPAS_VERSION = "0.5.0";

    public static final Header NOSNIFF = HeaderValues.create(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    public static final Header X_EPAS_VERSION = HeaderValues.create(HeaderNames.create("X-EPAS-Version"), EPAS_VERSION);
    private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");

    private Answers() {}

    /** Sends a JSON answer. */
    public static void json(ServerResponse res, Status status, byte[] json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(NOSNIFF);
        res.header(NO_STORE);
        res.header(X_EPAS_VERSION);
        res.send(json);
    }

    /** Sends 204 No Content. */
    public static void noContent(ServerResponse res) {
        res.status(Status.NO_CONTENT_204);
        res.header(NOSNIFF);
        res.header(X_EPAS_VERSION);
        res.send();
    }

    /** Adds what a rejection asks of the answer: Retry-After, Connection: close. */
    public static void rejectionHeaders(ServerResponse res, Rejection rejection) {
        rejection.retryAfter().ifPresent(wait -> retryAfter(res, wait));
        if (rejection.closesConnection()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        if (rejection == Rejection.TOO_LARGE) {
            ConnectionGuard.lingerBeforeClose();
        }
    }

    /** Adds {@code Retry-After} in whole seconds. */
    public static void retryAfter(ServerResponse res, Duration wait) {
        res.header(HeaderNames.RETRY_AFTER, Long.toString(wait.toSeconds()));
    }
}
