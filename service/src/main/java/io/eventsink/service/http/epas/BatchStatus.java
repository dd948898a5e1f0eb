package io.eventsink.service.http.epas;

/** What became of one event of a batch, as the answer names it. */
enum BatchStatus {
    /** The queue has it. */
    STORED("stored"),
    /** It breaks the rules, or the queue refused it: do not send it again. */
    INVALID("invalid"),
    /** Valid, but the queue has not stored it: send it again later. */
    NOT_STORED("not_stored");

    final String wireName;

    BatchStatus(String wireName) {
        this.wireName = wireName;
    }
}
