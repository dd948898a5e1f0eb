package io.eventsink.service.http.ingest;

import io.eventsink.service.delivery.DeliveryException;
import io.eventsink.service.epas.ValidationResult;
import io.helidon.http.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Every way an event or a request ends without a stored event, and how it is answered: the
 * status on {@code POST /}, the status on {@code /cmcd} (CMCD players back off on 429, not 503),
 * the {@code Retry-After} seconds (0: retrying cannot help), whether the connection is closed, and the {@code reason} label
 * of {@code eventsink_events_rejected_total}. One table, so routes and metrics cannot disagree.
 */
public enum Rejection {
    INVALID_EVENT(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, 0, false, "invalid_event"),
    MALFORMED_BODY(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, 0, false, "malformed_body"),
    /** The body could not be read to its end (broken framing, a truncated compressed stream). */
    UNREADABLE_BODY(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, 0, true, "malformed_body"),
    TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413, Status.REQUEST_ENTITY_TOO_LARGE_413, 0, true, "too_large"),
    UNSUPPORTED_ENCODING(
            Status.UNSUPPORTED_MEDIA_TYPE_415, Status.UNSUPPORTED_MEDIA_TYPE_415, 0, false, "unsupported_encoding"),
    UNSUPPORTED_MEDIA_TYPE(
            Status.UNSUPPORTED_MEDIA_TYPE_415, Status.UNSUPPORTED_MEDIA_TYPE_415, 0, false, "unsupported_media_type"),
    ORIGIN_FORBIDDEN(Status.FORBIDDEN_403, Status.FORBIDDEN_403, 0, false, "origin_forbidden"),
    /** The event passed our checks but the queue refuses it: nothing a retry fixes. */
    QUEUE_REFUSED(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, 0, false, "queue_refused"),
    BACKPRESSURE(Status.SERVICE_UNAVAILABLE_503, Status.TOO_MANY_REQUESTS_429, 1, false, "backpressure"),
    OVERLOADED(Status.SERVICE_UNAVAILABLE_503, Status.TOO_MANY_REQUESTS_429, 1, true, "overloaded"),
    UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, 5, false, "unavailable"),
    TIMEOUT(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, 2, false, "timeout"),
    SHUTTING_DOWN(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, 1, true, "shutting_down"),
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT_408, Status.REQUEST_TIMEOUT_408, 0, true, "request_timeout"),
    /** CMCD_ENABLED=false: CMCD players stop reporting to an endpoint that answers 410. */
    CMCD_DISABLED(Status.GONE_410, Status.GONE_410, 0, false, "cmcd_disabled");

    private final Status status;
    private final Status cmcdStatus;
    /** Empty when retrying cannot help. */
    private final Optional<Duration> retryAfter;

    private final boolean closesConnection;
    private final String tag;

    Rejection(Status status, Status cmcdStatus, int retryAfterSeconds, boolean closesConnection, String tag) {
        this.status = status;
        this.cmcdStatus = cmcdStatus;
        this.retryAfter = retryAfterSeconds > 0 ? Optional.of(Duration.ofSeconds(retryAfterSeconds)) : Optional.empty();
        this.closesConnection = closesConnection;
        this.tag = tag;
    }

    /** Why the pipeline did not store an event, as a rejection. */
    public static Rejection of(DeliveryException.Reason reason) {
        return switch (reason) {
            case BACKPRESSURE -> BACKPRESSURE;
            case UNAVAILABLE -> UNAVAILABLE;
            case TIMEOUT -> TIMEOUT;
            case SHUTTING_DOWN -> SHUTTING_DOWN;
            case REJECTED -> QUEUE_REFUSED;
        };
    }

    /** Why an event was not valid, as a rejection. */
    public static Rejection of(ValidationResult.Kind invalid) {
        return invalid == ValidationResult.Kind.MALFORMED ? MALFORMED_BODY : INVALID_EVENT;
    }

    public Status status() {
        return status;
    }

    public Status cmcdStatus() {
        return cmcdStatus;
    }

    /** How long to wait before retrying (whole seconds), or empty when retrying cannot help. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public boolean closesConnection() {
        return closesConnection;
    }

    /** Whether the client should send the event again later (a 5xx or a back-off). */
    public boolean retryable() {
        return retryAfter.isPresent();
    }

    String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
