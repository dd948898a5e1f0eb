package io.eventsink.operator.model;

import io.eventsink.operator.crd.spec.ConfigSpec;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The service settings an EventSink sets, as the environment variables the service reads. */
final class ServiceConfig {
    private ServiceConfig() {}

    /**
     * Every {@code spec.config} field through the catalogue: the value set, else the setting's default; lists are
     * joined with commas as the service reads them. Settings without a value and without a default are left out.
     */
    static Map<String, String> from(ConfigSpec config) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                config == null ? Map.of() : Serialization.jsonMapper().convertValue(config, Map.class);
        Map<String, String> env = new TreeMap<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            Object value = fields.get(setting.crdField());
            String text = value instanceof List<?> l
                    ? String.join(",", l.stream().map(String::valueOf).toList())
                    : value != null ? String.valueOf(value) : setting.defaultValue();
            if (text != null && !text.isEmpty()) {
                env.put(setting.env(), text);
            }
        }
        return Collections.unmodifiableMap(env);
    }
}
