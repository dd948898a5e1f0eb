package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        for (String userClass : List.of("EventSinkUser", "HighVolumeEventSinkUser", "InvalidEventUser")) {
            assertThat(source).as("user class %s", userClass).containsPattern("(?m)^class " + userClass + "\\b");
        }
        assertThat(source).contains("LOADTEST_MAX_FAILURE_RATIO", "LOADTEST_MAX_P95_MS", "LOADTEST_MIN_REQUESTS");
        // The chart's default and ci/ user class lists only name classes that exist.
        List<Path> valuesFiles = new java.util.ArrayList<>(Charts.ciValuesFiles(LOADTEST));
        valuesFiles.add(Charts.chartDir(LOADTEST).resolve("values.yaml"));
        for (Path file : valuesFiles) {
            Charts.yamlTree(file)
                    .path("locust")
                    .path("userClasses")
                    .forEach(c -> assertThat(source)
                            .as("user class %s named in %s", c.asText(), file.getFileName())
                            .containsPattern("(?m)^class " + c.asText() + "\\b"));
        }
    }
}
