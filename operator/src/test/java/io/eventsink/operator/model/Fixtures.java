package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.function.Consumer;

final class Fixtures {
    static final QueueState QUEUE = new QueueState(
            "https://sqs.eu-west-1.amazonaws.com/123456789012/es-ns-sink",
            "arn:aws:sqs:eu-west-1:123456789012:es-ns-sink",
            null,
            null,
            true);

    private Fixtures() {}

    static EventSink sink(Consumer<EventSinkSpec> customizer) {
        EventSink es = new EventSink();
        es.setMetadata(new ObjectMetaBuilder()
                .withNamespace("ns")
                .withName("sink")
                .withUid("uid-sink")
                .withGeneration(3L)
                .build());
        EventSinkSpec spec = new EventSinkSpec();
        customizer.accept(spec);
        es.setSpec(spec);
        return es;
    }

    static EventSink minimal() {
        return sink(s -> {});
    }

    static EventSinkModel model(Consumer<EventSinkSpec> customizer) {
        return EventSinkModel.fromCrd(sink(customizer));
    }

    static EventSinkModel minimalModel() {
        return EventSinkModel.fromCrd(minimal());
    }
}
