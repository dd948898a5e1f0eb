package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.model.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented examples parse into the Java model without losing a field and pass validation. */
class ExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"eventsink-minimal.yaml", "eventsink-full.yaml"})
    @SuppressWarnings("unchecked")
    void exampleIsCompleteAndValid(String file) throws Exception {
        String yaml = Files.readString(Path.of("examples", file));
        EventSink es = Serialization.unmarshal(yaml, EventSink.class);
        assertThat(SpecValidator.validate(es)).isEmpty();
        // a misspelt or unknown field would be dropped here
        Map<String, Object> original = Serialization.unmarshal(yaml, Map.class);
        Map<String, Object> roundTrip = Serialization.unmarshal(Serialization.asYaml(es), Map.class);
        assertThat(roundTrip.get("spec")).isEqualTo(original.get("spec"));
    }
}
