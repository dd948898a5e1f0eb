package io.eventsink.operator.crd;

import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An ingestion service for player analytics events: HTTP in, SQS out. */
@Group(EventSink.GROUP)
@Version(EventSink.VERSION)
@Kind("EventSink")
@Plural("eventsinks")
@ShortNames("es")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Replicas",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(
        name = "Queue",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.queueUrl",
        priority = 0)
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class EventSink extends CustomResource<EventSinkSpec, EventSinkStatus> implements Namespaced {

    public static final String GROUP = "eventsink.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected EventSinkSpec initSpec() {
        return new EventSinkSpec();
    }

    /** No status until the operator writes one: an empty local status would make status patches diff wrongly. */
    @Override
    protected EventSinkStatus initStatus() {
        return null;
    }
}
