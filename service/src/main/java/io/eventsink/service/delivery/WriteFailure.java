package io.eventsink.service.delivery;

/** A write (or probe) that failed as a whole, with what kind of failure it was. */
public final class WriteFailure extends Exception {

    /** Kinds of whole-call failure; they decide whether the destination counts as unreachable. */
    public enum Kind {
        /** No answer, a broken connection, or a server error (5xx): the destination may be down. */
        UNREACHABLE,
        /** The destination asks us to slow down: retry later, but it is up. */
        THROTTLED,
        /** The destination refuses every call (queue missing, access denied): nothing passes until fixed. */
        REFUSED
    }

    private final Kind kind;

    public WriteFailure(Kind kind, String message, Throwable cause) {
        // The stack trace of an expected outcome is noise; the message says what happened.
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
