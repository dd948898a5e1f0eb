package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** {@code spec.queue.deadLetterQueue}: the queue messages move to after too many receives. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterQueueSpec {
    public static final boolean ENABLED_DEFAULT = true;
    public static final int MAX_RECEIVE_COUNT_DEFAULT = 5;
    public static final int MESSAGE_RETENTION_DEFAULT = 1209600;

    @Default("" + ENABLED_DEFAULT)
    public Boolean enabled;

    @JsonPropertyDescription("Receives before a message moves to the dead-letter queue.")
    @Min(1)
    @Max(1000)
    @Default("" + MAX_RECEIVE_COUNT_DEFAULT)
    public Integer maxReceiveCount;

    @Min(60)
    @Max(1209600)
    @Default("" + MESSAGE_RETENTION_DEFAULT)
    public Integer messageRetentionSeconds;
}
