package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * One set of defaults: the operator resolves an empty spec ({@link EventSinkModel#fromCrd}) to the same model as the
 * spec the API server stores after applying the schema's defaults, so it never depends on that defaulting.
 */
class SchemaDefaultsTest {

    @Test
    void operatorDefaultsAreTheSchemaDefaults() throws Exception {
        ObjectNode everyObject = emptyObjects(EventSinkSpec.class);
        SpecSchema.applyDefaults(SpecSchema.load(), everyObject);
        EventSinkSpec defaulted = Serialization.jsonMapper().treeToValue(everyObject, EventSinkSpec.class);
        EventSink withDefaults = Fixtures.sink(s -> {});
        withDefaults.setSpec(defaulted);
        assertThat(EventSinkModel.fromCrd(withDefaults)).isEqualTo(Fixtures.minimalModel());
        assertThat(SpecValidator.validate(withDefaults)).isEmpty();
    }

    /** Every object of our own CRD types present and empty (embedded Kubernetes types left out). */
    private static ObjectNode emptyObjects(Class<?> type) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())
                    && f.getType().getPackageName().equals(EventSinkSpec.class.getPackageName())
                    && !f.getType().isEnum()) {
                node.set(f.getName(), emptyObjects(f.getType()));
            }
        }
        return node;
    }
}
