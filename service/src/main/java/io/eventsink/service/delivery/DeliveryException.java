package io.eventsink.service.delivery;

/** Why an event was not delivered; the HTTP layer maps the reason to a status code. */
public final class DeliveryException extends RuntimeException {

    /** Reasons an event is not (or not yet) in the queue. */
    public enum Reason {
        /** Too many events pending delivery: back off and retry. */
        BACKPRESSURE,
        /** The queue cannot be reached right now. */
        UNAVAILABLE,
        /** Not delivered within the delivery timeout. */
        TIMEOUT,
        /** The service is shutting down. */
        SHUTTING_DOWN,
        /** The queue refused this message for good. */
        REJECTED
    }

    private final Reason reason;

    public DeliveryException(Reason reason, String message) {
        // No stack trace: these are expected outcomes reported to clients, not bugs.
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
