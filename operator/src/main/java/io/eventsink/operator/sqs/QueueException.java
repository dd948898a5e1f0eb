package io.eventsink.operator.sqs;

import io.eventsink.operator.ReconcileFailure;
import java.time.Duration;

/** A queue problem with a reason for the QueueReady condition. */
public class QueueException extends ReconcileFailure {
    public QueueException(String reason, String message, Duration retryAfter, Throwable cause) {
        super(reason, message, retryAfter, true, cause);
    }
}
