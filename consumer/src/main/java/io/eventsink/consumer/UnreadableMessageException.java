package io.eventsink.consumer;

/** A message that is not one EventSink wrote, or that was damaged: say why, and keep it for inspection. */
public final class UnreadableMessageException extends Exception {

    public UnreadableMessageException(String message) {
        super(message);
    }

    public UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
