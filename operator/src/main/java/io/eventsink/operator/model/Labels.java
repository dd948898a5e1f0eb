package io.eventsink.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels shared by every owned object. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "eventsink-operator";
    /** The operator's informers only cache objects carrying this label, so it never lists the whole cluster. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {}

    /** Stable pod selector: never changes for a given EventSink (Deployment selectors are immutable). */
    public static Map<String, String> selector(EventSinkModel m) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "eventsink");
        labels.put(INSTANCE, m.name());
        return labels;
    }

    public static Map<String, String> common(EventSinkModel m) {
        Map<String, String> labels = selector(m);
        labels.put(COMPONENT, "ingestion");
        labels.put(MANAGED_BY, OPERATOR);
        return labels;
    }

    public static String selectorString(EventSinkModel m) {
        StringBuilder sb = new StringBuilder();
        selector(m)
                .forEach((k, v) ->
                        sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    public static ObjectMeta meta(EventSinkModel m, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(m.namespace())
                .withLabels(common(m))
                .build();
    }
}
