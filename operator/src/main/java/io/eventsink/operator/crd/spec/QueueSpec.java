package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.eventsink.settings.SqsQueueUrls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** {@code spec.queue}: the SQS queue events go to, created by the operator or owned by the team. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = QueueSpec.EXCLUSIVE_RULE, message = "existingUrl and name are mutually exclusive")
public class QueueSpec {
    public static final String EXCLUSIVE_RULE = "!has(self.existingUrl) || !has(self.name)";
    /** SQS allows 80 characters; the dead-letter queue's "-dlq" must still fit. */
    public static final int MAX_NAME_LENGTH = 76;

    public static final int MESSAGE_RETENTION_DEFAULT = 345600;
    public static final int VISIBILITY_TIMEOUT_DEFAULT = 30;
    public static final String DELETION_POLICY_DEFAULT = "Retain";

    @JsonPropertyDescription(
            "Use this queue (owned by the team) instead of creating one. The operator only verifies it exists.")
    @Pattern("^https?://.+$")
    public String existingUrl;

    @JsonPropertyDescription("Name of the queue to create. Default: es-<namespace>-<name>, shortened to "
            + MAX_NAME_LENGTH + " characters.")
    @Pattern("^[A-Za-z0-9_-]{1," + MAX_NAME_LENGTH + "}$")
    public String name;

    @JsonPropertyDescription("AWS region of the queue. Default: the operator's AWS_REGION.")
    @Pattern(SqsQueueUrls.REGION_PATTERN)
    public String region;

    @JsonPropertyDescription("Endpoint override for SQS-compatible servers (e.g. ElasticMQ).")
    @Pattern("^https?://.+$")
    public String endpoint;

    @JsonPropertyDescription("Message retention in seconds (60 to 1209600).")
    @Min(60)
    @Max(1209600)
    @Default("" + MESSAGE_RETENTION_DEFAULT)
    public Integer messageRetentionSeconds;

    @JsonPropertyDescription("Visibility timeout in seconds (0 to 43200).")
    @Min(0)
    @Max(43200)
    @Default("" + VISIBILITY_TIMEOUT_DEFAULT)
    public Integer visibilityTimeoutSeconds;

    public DeadLetterQueueSpec deadLetterQueue;

    public EncryptionSpec encryption;

    @JsonPropertyDescription("Extra tags on the created queues. Keys starting with eventsink.io/ are reserved.")
    public Map<String, String> tags;

    @JsonPropertyDescription("Retain (default) keeps a created queue when the EventSink is deleted; Delete removes it.")
    @Default(DELETION_POLICY_DEFAULT)
    public DeletionPolicy deletionPolicy;

    /** A service setting: its schema comes from the settings catalogue. */
    public String messageFormat;

    @JsonPropertyDescription("Settings of the packed message format (messageFormat: packed).")
    public PackSpec pack;
}
