package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.List;

public final class IngressModel {
    private IngressModel() {}

    public static Ingress build(EventSinkModel m) {
        var in = m.ingress();
        var meta = Labels.meta(m, m.name());
        meta.setAnnotations(in.annotations().isEmpty() ? null : new java.util.LinkedHashMap<>(in.annotations()));
        List<IngressTLS> tls = in.tlsSecretName() == null
                ? List.of()
                : List.of(new IngressTLSBuilder()
                        .withHosts(in.host())
                        .withSecretName(in.tlsSecretName())
                        .build());
        return new IngressBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withIngressClassName(in.className())
                .withTls(tls)
                .addNewRule()
                .withHost(in.host())
                .withNewHttp()
                .addNewPath()
                .withPath(in.path())
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(m.name())
                .withNewPort()
                .withName("http")
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build();
    }
}
