package io.eventsink.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EventSinkStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, QueueReady, DeploymentReady and Degraded.")
    public List<Condition> conditions = new ArrayList<>();

    public String queueUrl;
    public String queueArn;
    public String deadLetterQueueUrl;
    public String deadLetterQueueArn;

    @JsonPropertyDescription("True when the operator created (and may delete) the queue.")
    public Boolean queueManaged;

    @StatusReplicas
    public Integer replicas;

    public Integer readyReplicas;

    @LabelSelector
    public String selector;

    @JsonPropertyDescription("In-cluster URL of the ingestion endpoint.")
    public String endpoint;

    public Condition condition(String type) {
        return conditions == null
                ? null
                : conditions.stream()
                        .filter(c -> type.equals(c.type))
                        .findFirst()
                        .orElse(null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventSinkStatus s)) {
            return false;
        }
        return Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions)
                && Objects.equals(queueUrl, s.queueUrl)
                && Objects.equals(queueArn, s.queueArn)
                && Objects.equals(deadLetterQueueUrl, s.deadLetterQueueUrl)
                && Objects.equals(deadLetterQueueArn, s.deadLetterQueueArn)
                && Objects.equals(queueManaged, s.queueManaged)
                && Objects.equals(replicas, s.replicas)
                && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(selector, s.selector)
                && Objects.equals(endpoint, s.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, queueUrl, replicas, readyReplicas);
    }
}
