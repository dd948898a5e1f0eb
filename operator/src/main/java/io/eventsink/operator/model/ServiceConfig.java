package io.eventsink.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.settings.ServiceSettings;
import io.eventsink.settings.Setting;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/** The service settings an EventSink sets, read from its spec through the catalogue's field paths. */
final class ServiceConfig {
    private ServiceConfig() {}

    /**
     * Every settings-backed field of the spec as the environment variable the catalogue names: the value set, else
     * the setting's default; lists are joined with commas as the service reads them. Settings without a value and
     * without a default are left out.
     */
    static Map<String, String> from(EventSinkSpec spec) {
        JsonNode tree = Serialization.jsonMapper().valueToTree(spec);
        Map<String, String> env = new TreeMap<>();
        for (Setting setting : ServiceSettings.inCrd()) {
            String text = value(tree, setting).orElse(setting.defaultValue());
            if (text != null && !text.isEmpty()) {
                env.put(setting.env(), text);
            }
        }
        return Collections.unmodifiableMap(env);
    }

    /** The value of the setting's field in {@code spec} (as JSON), as text; empty when it is not set. */
    static Optional<String> value(JsonNode spec, Setting setting) {
        JsonNode node = spec.at("/" + setting.crdPath().replace('.', '/'));
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isArray()) {
            StringJoiner joined = new StringJoiner(",");
            node.forEach(item -> joined.add(item.asText()));
            return Optional.of(joined.toString());
        }
        return Optional.of(node.asText());
    }
}
