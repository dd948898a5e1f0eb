package io.eventsink.operator;

/**
 * The operator's own metric names, each in one place. They are Prometheus names as exported (Micrometer keeps a
 * name that already ends in {@code _total}), prefixed {@code eventsink_} like the service's.
 */
public final class OperatorMetrics {
    /** Counter, tag {@code operation}: SQS API calls the operator made. */
    public static final String SQS_CALLS = "eventsink_operator_sqs_calls_total";
    /** Counter, tag {@code reason}: failed queue reconciles. */
    public static final String QUEUE_ERRORS = "eventsink_operator_queue_errors_total";
    /** Counter: queues (main or dead-letter) created. */
    public static final String QUEUE_CREATIONS = "eventsink_operator_queue_creations_total";
    /** Counter: queues whose attributes were put back. */
    public static final String QUEUE_DRIFT_REPAIRED = "eventsink_operator_queue_drift_repaired_total";
    /** Counter, tag {@code kind}: owned objects found without our label or owner reference and taken back. */
    public static final String ADOPTIONS = "eventsink_operator_adoptions_total";
    /**
     * Gauge, tags {@code namespace}, {@code eventsink}, {@code type}, {@code status}: 1 for an EventSink's current
     * status of each condition type, 0 for the two other statuses.
     */
    public static final String CONDITION = "eventsink_operator_eventsink_condition";

    private OperatorMetrics() {}
}
