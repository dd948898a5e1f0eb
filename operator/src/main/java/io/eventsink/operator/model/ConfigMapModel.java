package io.eventsink.operator.model;

import io.eventsink.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.TreeMap;

/** The service's configuration as environment variables (see the main README), loaded with envFrom. */
public final class ConfigMapModel {
    private ConfigMapModel() {}

    /** Every {@code spec.config} setting (resolved through the catalogue) plus the ones the operator sets. */
    public static Map<String, String> data(EventSinkModel m) {
        Map<String, String> d = new TreeMap<>(m.serviceConfig());
        d.put(ServiceSettings.HOST.env(), ServiceSettings.HOST.defaultValue());
        d.put(ServiceSettings.PORT.env(), String.valueOf(EventSinkModel.HTTP_PORT));
        d.put(ServiceSettings.MANAGEMENT_PORT.env(), String.valueOf(EventSinkModel.MANAGEMENT_PORT));
        d.put(ServiceSettings.QUEUE_TYPE.env(), "SQS");
        d.put(ServiceSettings.SHUTDOWN_DELAY_MS.env(), String.valueOf(EventSinkModel.SHUTDOWN_DELAY_MS));
        return d;
    }

    public static ConfigMap build(EventSinkModel m) {
        return new ConfigMapBuilder()
                .withMetadata(Labels.meta(m, m.configMapName()))
                .withData(data(m))
                .build();
    }

    /** Pod annotation value: changes whenever the config does, which rolls the pods. */
    public static String hash(Map<String, String> data) {
        return Hashing.sha256Hex(data, 16);
    }
}
