package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.List;

public final class IngressModel {
    private IngressModel() {}

    public static Ingress build(EventSink es) {
        EventSinkSpec.Ingress in = es.getSpec().ingress;
        var meta = Labels.meta(es, es.getMetadata().getName());
        meta.setAnnotations(in.annotations);
        List<IngressTLS> tls = in.tlsSecretName == null
                ? List.of()
                : List.of(new IngressTLSBuilder()
                        .withHosts(in.host)
                        .withSecretName(in.tlsSecretName)
                        .build());
        return new IngressBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withIngressClassName(in.className)
                .withTls(tls)
                .addNewRule()
                .withHost(in.host)
                .withNewHttp()
                .addNewPath()
                .withPath(in.path != null ? in.path : Defaults.INGRESS_PATH)
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(es.getMetadata().getName())
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
