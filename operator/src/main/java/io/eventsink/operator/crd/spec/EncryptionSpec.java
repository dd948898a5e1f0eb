package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** {@code spec.queue.encryption}: server-side encryption of the created queues. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EncryptionSpec {
    public static final String TYPE_DEFAULT = "SQS";

    @JsonPropertyDescription("SQS (SSE-SQS, default), KMS (SSE-KMS, needs kmsKeyId) or None.")
    @Default(TYPE_DEFAULT)
    public EncryptionType type;

    @JsonPropertyDescription("KMS key id, alias or ARN for type KMS.")
    public String kmsKeyId;

    @Min(60)
    @Max(86400)
    public Integer kmsDataKeyReusePeriodSeconds;
}
