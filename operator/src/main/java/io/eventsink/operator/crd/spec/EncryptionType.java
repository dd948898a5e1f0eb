package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Server-side encryption of the queues. */
public enum EncryptionType {
    /** SSE-SQS: keys managed by SQS. */
    @JsonProperty("SQS")
    SQS,
    /** SSE-KMS with {@code kmsKeyId}. */
    @JsonProperty("KMS")
    KMS,
    @JsonProperty("None")
    NONE
}
