package io.eventsink.operator.model;

import io.eventsink.operator.crd.EventSink;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels shared by every owned object. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String VERSION = "app.kubernetes.io/version";
    public static final String OPERATOR = "eventsink-operator";
    /** The operator's informers only cache objects carrying this label, so it never lists the whole cluster. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {}

    /** Stable pod selector: never changes for a given EventSink (Deployment selectors are immutable). */
    public static Map<String, String> selector(EventSink es) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, "eventsink");
        m.put(INSTANCE, es.getMetadata().getName());
        return m;
    }

    public static Map<String, String> common(EventSink es) {
        Map<String, String> m = selector(es);
        m.put(COMPONENT, "ingestion");
        m.put(MANAGED_BY, OPERATOR);
        return m;
    }

    public static String selectorString(EventSink es) {
        StringBuilder sb = new StringBuilder();
        selector(es)
                .forEach((k, v) ->
                        sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    public static ObjectMeta meta(EventSink es, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(es.getMetadata().getNamespace())
                .withLabels(common(es))
                .build();
    }

    public static String configMapName(EventSink es) {
        return es.getMetadata().getName() + "-config";
    }

    public static String serviceAccountName(EventSink es) {
        String existing = Defaults.get(es.getSpec().serviceAccount, s -> s.name, null);
        return existing != null ? existing : es.getMetadata().getName();
    }
}
