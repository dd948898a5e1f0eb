package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The chart's CRD reads the same to a YAML 1.1 reader (PyYAML, hence the Python Kubernetes client's
 * {@code create_from_yaml}) as to the API server's YAML 1.2 reader. YAML 1.1 takes {@code 1.048576E7} (an exponent
 * without a sign) for a string and {@code 100.0} for a float, so every unquoted scalar is classified by the implicit
 * types of both versions and must land in the same one, and every bound and default of an integer field must be a
 * plain integer.
 */
class CrdYaml11Test {

    /** The implicit types of YAML 1.1 (yaml.org/type: bool, int, float, null), as PyYAML resolves them. */
    private static final List<Map.Entry<String, Pattern>> YAML_1_1 = List.of(
            Map.entry("null", Pattern.compile("~|null|Null|NULL|")),
            Map.entry(
                    "bool",
                    Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")),
            Map.entry(
                    "int",
                    Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
                            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+")),
            Map.entry(
                    "float",
                    Pattern.compile(
                            "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)")));

    /** The YAML 1.2 core schema, which the API server's reader follows. */
    private static final List<Map.Entry<String, Pattern>> YAML_1_2 = List.of(
            Map.entry("null", Pattern.compile("~|null|Null|NULL|")),
            Map.entry("bool", Pattern.compile("true|True|TRUE|false|False|FALSE")),
            Map.entry("int", Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
            Map.entry(
                    "float",
                    Pattern.compile("[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)")));

    private static final Set<String> INTEGER_KEYWORDS = Set.of("minimum", "maximum", "multipleOf", "default");

    /** The first implicit type (in the versions' order of precedence) the scalar matches, else str. */
    static String type(List<Map.Entry<String, Pattern>> types, String scalar) {
        return types.stream()
                .filter(e -> e.getValue().matcher(scalar).matches())
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("str");
    }

    private static Node crd() throws IOException {
        try (Reader in = Files.newBufferedReader(OperatorCrdTest.CHART_CRD)) {
            return new Yaml().compose(in);
        }
    }

    @Test
    void everyUnquotedScalarHasTheSameTypeInYaml11AndYaml12() throws IOException {
        List<String> differing = new ArrayList<>();
        walk(crd(), "", (path, scalar) -> {
            if (scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                String v = scalar.getValue();
                if (!type(YAML_1_1, v).equals(type(YAML_1_2, v))) {
                    differing.add(path + ": " + v + " is " + type(YAML_1_1, v) + " in YAML 1.1, " + type(YAML_1_2, v)
                            + " in YAML 1.2");
                }
            }
        });
        assertThat(differing).isEmpty();
    }

    @Test
    void boundsAndDefaultsOfIntegerFieldsArePlainIntegers() throws IOException {
        List<String> checked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        walkMappings(crd(), "", (path, mapping) -> {
            boolean integer = mapping.getValue().stream()
                    .anyMatch(t -> key(t).equals("type")
                            && t.getValueNode() instanceof ScalarNode s
                            && s.getValue().equals("integer"));
            if (!integer) {
                return;
            }
            for (NodeTuple t : mapping.getValue()) {
                if (INTEGER_KEYWORDS.contains(key(t)) && t.getValueNode() instanceof ScalarNode s) {
                    checked.add(path + "." + key(t));
                    if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN
                            || !type(YAML_1_1, s.getValue()).equals("int")
                            || !s.getValue().matches("-?(0|[1-9][0-9]*)")) {
                        wrong.add(path + "." + key(t) + ": " + s.getValue());
                    }
                }
            }
        });
        assertThat(checked).as("integer bounds and defaults in the CRD").hasSizeGreaterThan(40);
        assertThat(wrong).isEmpty();
    }

    @Test
    void theClassificationTellsTheVersionsApart() {
        assertThat(type(YAML_1_1, "1.048576E7")).isEqualTo("str");
        assertThat(type(YAML_1_2, "1.048576E7")).isEqualTo("float");
        assertThat(type(YAML_1_1, "1.0e+7")).isEqualTo("float");
        assertThat(type(YAML_1_1, "100.0")).isEqualTo("float");
        assertThat(type(YAML_1_1, "10485760")).isEqualTo("int");
        assertThat(type(YAML_1_1, "on")).isEqualTo("bool");
        assertThat(type(YAML_1_2, "on")).isEqualTo("str");
    }

    private interface ScalarVisitor {
        void visit(String path, ScalarNode scalar);
    }

    private interface MappingVisitor {
        void visit(String path, MappingNode mapping);
    }

    private static void walk(Node node, String path, ScalarVisitor visitor) {
        switch (node) {
            case ScalarNode s -> visitor.visit(path, s);
            case SequenceNode seq -> {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    walk(seq.getValue().get(i), path + "[" + i + "]", visitor);
                }
            }
            case MappingNode m -> m.getValue().forEach(t -> walk(t.getValueNode(), path + "." + key(t), visitor));
            default -> {}
        }
    }

    private static void walkMappings(Node node, String path, MappingVisitor visitor) {
        switch (node) {
            case SequenceNode seq -> {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    walkMappings(seq.getValue().get(i), path + "[" + i + "]", visitor);
                }
            }
            case MappingNode m -> {
                visitor.visit(path, m);
                m.getValue().forEach(t -> walkMappings(t.getValueNode(), path + "." + key(t), visitor));
            }
            default -> {}
        }
    }

    private static String key(NodeTuple t) {
        return ((ScalarNode) t.getKeyNode()).getValue();
    }
}
