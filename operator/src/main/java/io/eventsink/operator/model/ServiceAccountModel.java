package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

public final class ServiceAccountModel {
    /** Read by the EKS pod identity webhook (IRSA). */
    static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

    private ServiceAccountModel() {}

    public static ServiceAccount build(EventSinkModel m) {
        Map<String, String> annotations = new LinkedHashMap<>(m.serviceAccount().annotations());
        if (m.serviceAccount().iamRoleArn() != null) {
            annotations.put(IRSA_ANNOTATION, m.serviceAccount().iamRoleArn());
        }
        ObjectMeta meta = Labels.meta(m, m.serviceAccountName());
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        return new ServiceAccountBuilder()
                .withMetadata(meta)
                .withAutomountServiceAccountToken(false)
                .build();
    }
}
