package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.EventSinkSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

public final class ServiceAccountModel {
    /** Read by the EKS pod identity webhook (IRSA). */
    public static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

    private ServiceAccountModel() {}

    public static ServiceAccount build(EventSink es) {
        EventSinkSpec.ServiceAccount sa = es.getSpec().serviceAccount;
        Map<String, String> annotations = new LinkedHashMap<>();
        if (sa != null && sa.annotations != null) {
            annotations.putAll(sa.annotations);
        }
        if (sa != null && sa.iamRoleArn != null) {
            annotations.put(IRSA_ANNOTATION, sa.iamRoleArn);
        }
        ObjectMeta meta = Labels.meta(es, Labels.serviceAccountName(es));
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        return new ServiceAccountBuilder()
                .withMetadata(meta)
                .withAutomountServiceAccountToken(false)
                .build();
    }
}
