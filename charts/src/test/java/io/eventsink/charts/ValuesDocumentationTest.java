package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** values.yaml is documented field by field, and values.schema.json describes every top-level value. */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][\\w.-]*):(.*)$");
    /** Blocks whose content is a plain Kubernetes object, documented as a whole. */
    private static final Set<String> KUBERNETES_OBJECTS = Set.of("podSecurityContext", "securityContext", "resources");

    @ParameterizedTest
    @ValueSource(strings = {Charts.OPERATOR, Charts.LOADTEST})
    void everyValueHasACommentAbove(String chart) {
        List<String> lines = Charts.read(Charts.chartDir(chart).resolve("values.yaml"))
                .lines()
                .toList();
        List<String> undocumented = new ArrayList<>();
        int skipDeeperThan = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            if (skipDeeperThan >= 0) {
                if (indent > skipDeeperThan) {
                    continue;
                }
                skipDeeperThan = -1;
            }
            String key = m.group(2);
            if (KUBERNETES_OBJECTS.contains(key)) {
                skipDeeperThan = indent;
            }
            boolean leaf = !m.group(3).isBlank()
                    || (i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("- "));
            boolean commented = i > 0 && lines.get(i - 1).trim().startsWith("#");
            if ((leaf || KUBERNETES_OBJECTS.contains(key)) && !commented) {
                undocumented.add((i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertThat(undocumented)
                .as("values without a comment in %s/values.yaml", chart)
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {Charts.OPERATOR, Charts.LOADTEST})
    void theSchemaDescribesEveryTopLevelValueAndClosesTheRoot(String chart) {
        JsonNode values = Charts.yamlTree(Charts.chartDir(chart).resolve("values.yaml"));
        JsonNode schema = Charts.yamlTree(Charts.chartDir(chart).resolve("values.schema.json"));
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        List<String> keys = new ArrayList<>();
        values.fieldNames().forEachRemaining(keys::add);
        List<String> described = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(described::add);
        assertThat(described).containsExactlyInAnyOrderElementsOf(keys);
    }
}
