package io.eventsink.operator;

import java.time.Duration;

/**
 * A failure with a reason for the status conditions. {@code retryAfter} is set when the wait is dictated (SQS's
 * 60-second rule) or when retrying quickly cannot help; otherwise the reconciler's exponential backoff applies.
 */
public class ReconcileFailure extends RuntimeException {
    private final String reason;
    private final Duration retryAfter;
    private final boolean queueProblem;

    public ReconcileFailure(String reason, String message, Duration retryAfter, boolean queueProblem, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.queueProblem = queueProblem;
    }

    public String reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether it is the queue that failed (QueueReady turns False too). */
    public boolean queueProblem() {
        return queueProblem;
    }
}
