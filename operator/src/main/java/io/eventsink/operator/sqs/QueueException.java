package io.eventsink.operator.sqs;

import java.time.Duration;

/**
 * A queue problem with a reason for the QueueReady condition. {@code retryAfter} is set when SQS dictates the
 * wait (e.g. the 60-second rule after a deletion) or when retrying quickly cannot help; otherwise the
 * reconciler's exponential backoff applies.
 */
public class QueueException extends RuntimeException {
    private final String reason;
    private final Duration retryAfter;

    public QueueException(String reason, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public String reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
