package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * loadtest/locustfile.py is the one source of truth. The chart reaches it through the symlink
 * files/locustfile.py (Helm only reads files inside the chart; it follows symlinks when loading a chart
 * directory and stores the target's content when packaging), and these tests prove the rendered
 * ConfigMap carries exactly that file.
 */
class LocustfileSingleSourceTest {

    private static final Path LOCUSTFILE = Charts.repoRoot().resolve("loadtest/locustfile.py");
    private static final Path LINK = Charts.chartDir(LOADTEST).resolve("files/locustfile.py");
    private static final List<String> USER_CLASSES = List.of(
            "EventSinkUser", "HighVolumeEventSinkUser", "InvalidEventUser", "CmcdEventUser", "BatchEventSinkUser");

    @Test
    void theChartFileIsASymlinkToLoadtestLocustfile() throws IOException {
        assertThat(Files.isSymbolicLink(LINK))
                .as("%s must stay a symlink to loadtest/locustfile.py (no copy that can drift)", LINK)
                .isTrue();
        assertThat(Files.readSymbolicLink(LINK).toString()).isEqualTo("../../../loadtest/locustfile.py");
        assertThat(LOCUSTFILE)
                .as("loadtest/locustfile.py (written by the load-test work) must exist")
                .isRegularFile();
        assertThat(LINK.toRealPath()).isEqualTo(LOCUSTFILE.toRealPath());
    }

    @Test
    void theRenderedConfigMapHoldsExactlyLoadtestLocustfile() throws IOException {
        assertThat(LOCUSTFILE)
                .as("loadtest/locustfile.py (written by the load-test work) must exist")
                .isRegularFile();
        List<HasMetadata> resources = Charts.render(LOADTEST);
        ConfigMap configMap = Charts.single(resources, ConfigMap.class);
        assertThat(configMap.getData()).containsKey("locustfile.py");
        assertThat(configMap.getData().get("locustfile.py"))
                .as("ConfigMap locustfile.py vs loadtest/locustfile.py")
                .isEqualTo(Files.readString(LOCUSTFILE));
        assertThat(configMap.getData().get("run-master.sh"))
                .isEqualTo(Files.readString(Charts.chartDir(LOADTEST).resolve("files/run-master.sh")));
    }

    @Test
    void theLocustfileOffersTheUserClassesAndGateTheChartPassesOn() throws IOException {
        assertThat(LOCUSTFILE)
                .as("loadtest/locustfile.py (written by the load-test work) must exist")
                .isRegularFile();
        String source = Files.readString(LOCUSTFILE);
        for (String userClass : USER_CLASSES) {
            assertThat(source).as("user class %s", userClass).containsPattern("(?m)^class " + userClass + "\\b");
        }
        assertThat(source)
                .contains(
                        "LOADTEST_MAX_FAILURE_RATIO",
                        "LOADTEST_MAX_P95_MS",
                        "LOADTEST_MIN_REQUESTS",
                        "LOADTEST_USER_WEIGHTS");
        // The chart's default and ci/ user class lists only name classes that exist.
        List<Path> valuesFiles = new java.util.ArrayList<>(Charts.ciValuesFiles(LOADTEST));
        valuesFiles.add(Charts.chartDir(LOADTEST).resolve("values.yaml"));
        for (Path file : valuesFiles) {
            JsonNode locust = Charts.yamlTree(file).path("locust");
            locust.path("userClasses")
                    .forEach(c -> assertThat(source)
                            .as("user class %s named in %s", c.asText(), file.getFileName())
                            .containsPattern("(?m)^class " + c.asText() + "\\b"));
            locust.path("userClassWeights")
                    .fieldNames()
                    .forEachRemaining(c -> assertThat(source)
                            .as("user class %s weighted in %s", c, file.getFileName())
                            .containsPattern("(?m)^class " + c + "\\b"));
        }
    }

    /** values.yaml names every user class the locustfile offers, so chart users know what they can pick. */
    @Test
    void theValuesDocumentEveryUserClassOfTheLocustfile() throws IOException {
        String source = Files.readString(LOCUSTFILE);
        List<String> offered = Pattern.compile("(?m)^class (\\w+)\\([^)]*User\\):")
                .matcher(source)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(offered).containsExactlyInAnyOrderElementsOf(USER_CLASSES);
        String values = Files.readString(Charts.chartDir(LOADTEST).resolve("values.yaml"));
        for (String userClass : offered) {
            assertThat(values).as("values.yaml mentions %s", userClass).containsPattern("\\b" + userClass + "\\b");
        }
    }
}
