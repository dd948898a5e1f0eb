package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

public final class ServiceModel {
    private ServiceModel() {}

    public static Service build(EventSink es) {
        return new ServiceBuilder()
                .withMetadata(Labels.meta(es, es.getMetadata().getName()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(es))
                .addNewPort()
                .withName("http")
                .withPort(Defaults.HTTP_PORT)
                .withTargetPort(new IntOrString("http"))
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("management")
                .withPort(Defaults.MANAGEMENT_PORT)
                .withTargetPort(new IntOrString("management"))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }

    /** In-cluster URL written to status.endpoint. */
    public static String endpoint(EventSink es) {
        return "http://" + es.getMetadata().getName() + "." + es.getMetadata().getNamespace() + ".svc:"
                + Defaults.HTTP_PORT;
    }
}
