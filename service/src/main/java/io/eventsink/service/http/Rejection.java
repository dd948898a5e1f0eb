package io.eventsink.service.http;

import io.eventsink.service.delivery.DeliveryException;
import io.helidon.http.Status;
import java.util.Locale;

/**
 * Every way an event or a request ends without a stored event, and how it is answered: the
 * status on {@code POST /}, the status on {@code /cmcd} (CMCD players back off on 429, not 503),
 * the {@code Retry-After} seconds, whether the connection is closed, and the {@code reason} label
 * of {@code eventsink_events_rejected_total}. One table, so routes and metrics cannot disagree.
 */
public enum Rejection {
    INVALID_EVENT(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, null, false, "invalid_event"),
    MALFORMED_BODY(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, null, false, "malformed_body"),
    /** The body could not be read to its end (broken framing, a truncated compressed stream). */
    UNREADABLE_BODY(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, null, true, "malformed_body"),
    TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413, Status.REQUEST_ENTITY_TOO_LARGE_413, null, true, "too_large"),
    UNSUPPORTED_ENCODING(
            Status.UNSUPPORTED_MEDIA_TYPE_415, Status.UNSUPPORTED_MEDIA_TYPE_415, null, false, "unsupported_encoding"),
    UNSUPPORTED_MEDIA_TYPE(
            Status.UNSUPPORTED_MEDIA_TYPE_415,
            Status.UNSUPPORTED_MEDIA_TYPE_415,
            null,
            false,
            "unsupported_media_type"),
    ORIGIN_FORBIDDEN(Status.FORBIDDEN_403, Status.FORBIDDEN_403, null, false, "origin_forbidden"),
    /** The event passed our checks but the queue refuses it: nothing a retry fixes. */
    QUEUE_REFUSED(Status.BAD_REQUEST_400, Status.BAD_REQUEST_400, null, false, "queue_refused"),
    BACKPRESSURE(Status.SERVICE_UNAVAILABLE_503, Status.TOO_MANY_REQUESTS_429, "1", false, "backpressure"),
    OVERLOADED(Status.SERVICE_UNAVAILABLE_503, Status.TOO_MANY_REQUESTS_429, "1", true, "overloaded"),
    UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, "5", false, "unavailable"),
    TIMEOUT(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, "2", false, "timeout"),
    SHUTTING_DOWN(Status.SERVICE_UNAVAILABLE_503, Status.SERVICE_UNAVAILABLE_503, "1", true, "shutting_down"),
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT_408, Status.REQUEST_TIMEOUT_408, null, true, "request_timeout"),
    /** CMCD_ENABLED=false: CMCD players stop reporting to an endpoint that answers 410. */
    CMCD_DISABLED(Status.GONE_410, Status.GONE_410, null, false, "cmcd_disabled");

    private final Status status;
    private final Status cmcdStatus;
    private final String retryAfter;
    private final boolean closesConnection;
    private final String tag;

    Rejection(Status status, Status cmcdStatus, String retryAfter, boolean closesConnection, String tag) {
        this.status = status;
        this.cmcdStatus = cmcdStatus;
        this.retryAfter = retryAfter;
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

    public Status status() {
        return status;
    }

    public Status cmcdStatus() {
        return cmcdStatus;
    }

    /** Seconds to wait before retrying, or null when retrying cannot help. */
    public String retryAfter() {
        return retryAfter;
    }

    public boolean closesConnection() {
        return closesConnection;
    }

    /** Whether the client should send the event again later (a 5xx or a back-off). */
    public boolean retryable() {
        return retryAfter != null;
    }

    String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
