package io.eventsink.operator.crd.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The last step of the CRD's generation, run by the build (operator/pom.xml) between fabric8's generator and the copy
 * into the chart: the fields backed by service settings get their schema from the settings catalogue
 * ({@link SettingsSchema}), and whole numbers are written as integers. The generator writes every bound as a double
 * ({@code 100.0}, {@code 1.048576E7}), and YAML 1.1 readers (PyYAML, hence the Python Kubernetes client) read an
 * exponent without a sign as a string.
 */
public final class CrdFinisher {
    static final String HEADER =
            "# Generated from io.eventsink.operator.crd and the settings catalogue (settings/): do not" + " edit.\n";

    private CrdFinisher() {}

    /** Rewrites the generated CRD file given as the only argument. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.writeString(file, finish(Files.readString(file)));
    }

    /** The finished CRD for the generator's YAML. */
    public static String finish(String generatedYaml) {
        JsonNode crd = Serialization.unmarshal(generatedYaml, JsonNode.class);
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode spec = version.path("schema")
                    .path("openAPIV3Schema")
                    .path("properties")
                    .path("spec");
            if (!(spec instanceof ObjectNode specSchema)) {
                throw new IllegalStateException("no spec schema in version " + version.path("name"));
            }
            SettingsSchema.apply(specSchema);
        }
        String yaml = Serialization.asYaml(plainIntegers(crd));
        return HEADER + (yaml.startsWith("---\n") ? yaml.substring(4) : yaml);
    }

    /** Every whole number as an integer node, in place. */
    static JsonNode plainIntegers(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(plainIntegers(e.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, plainIntegers(array.get(i)));
            }
        } else if (node.isFloatingPointNumber() && isWhole(node.doubleValue())) {
            return LongNode.valueOf((long) node.doubleValue());
        }
        return node;
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p53;
    }
}
