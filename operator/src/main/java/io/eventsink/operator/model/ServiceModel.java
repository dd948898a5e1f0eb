package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

public final class ServiceModel {
    private ServiceModel() {}

    public static Service build(EventSinkModel m) {
        return new ServiceBuilder()
                .withMetadata(Labels.meta(m, m.name()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Labels.selector(m))
                .addNewPort()
                .withName("http")
                .withPort(EventSinkModel.HTTP_PORT)
                .withTargetPort(new IntOrString("http"))
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("management")
                .withPort(EventSinkModel.MANAGEMENT_PORT)
                .withTargetPort(new IntOrString("management"))
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }
}
