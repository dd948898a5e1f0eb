package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a load-test pod sees in /mnt/locust: the rendered ConfigMaps laid out by the "locustfile" volume's
 * items, rebuilt here file by file. It must be loadtest/locustfile.py with the eventsink_loadtest package
 * next to it, and Locust must find the five user classes in it.
 */
class LocustfileMountTest {

    private static final String EXTERNAL = "<from ConfigMap %s>";

    /** Relative path in the mount to the file's content (or EXTERNAL for a ConfigMap the chart does not render). */
    static Map<String, String> mountedFiles(List<HasMetadata> resources, PodSpec pod) {
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("locustfile"))
                .findFirst()
                .orElseThrow();
        Map<String, String> files = new LinkedHashMap<>();
        for (VolumeProjection source : volume.getProjected().getSources()) {
            String name = source.getConfigMap().getName();
            Optional<ConfigMap> rendered = Charts.ofType(resources, ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(name))
                    .findFirst();
            for (KeyToPath item : source.getConfigMap().getItems()) {
                String content =
                        rendered.map(c -> c.getData().get(item.getKey())).orElse(EXTERNAL.formatted(name));
                assertThat(content)
                        .as("key %s of ConfigMap %s", item.getKey(), name)
                        .isNotNull();
                assertThat(files.put(item.getPath(), content))
                        .as("%s projected once", item.getPath())
                        .isNull();
            }
        }
        return files;
    }

    static Map<String, String> expectedTree() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("locustfile.py", Files.readString(LocustfileSingleSourceTest.LOCUSTFILE));
        LocustfileSingleSourceTest.packageModules()
                .forEach((name, content) -> expected.put("eventsink_loadtest/" + name, content));
        return expected;
    }

    @Test
    void everyPodMountsTheLocustfileWithThePackageNextToIt() throws IOException {
        Map<String, String> expected = expectedTree();
        for (Path values : Stream.concat(Stream.of((Path) null), LoadtestChartTest.ciValues().stream())
                .toList()) {
            List<HasMetadata> resources =
                    values == null ? Charts.render(LOADTEST) : Charts.renderWithValues(LOADTEST, values);
            Map<String, PodSpec> pods = Hardening.podSpecs(resources);
            assertThat(pods).hasSize(2);
            pods.forEach((where, pod) -> {
                Map<String, String> mounted = mountedFiles(resources, pod);
                if (values != null && values.endsWith("existing-locustfile-values.yaml")) {
                    // the user's locustfile, next to the chart's package so that it can import it
                    assertThat(mounted).containsEntry("locustfile.py", EXTERNAL.formatted("my-locustfile"));
                    mounted.put("locustfile.py", expected.get("locustfile.py"));
                }
                assertThat(mounted).as("%s %s", values, where).containsExactlyInAnyOrderEntriesOf(expected);
            });
        }
    }

    /** Locust (Debian's python3-locust where installed) loads the rebuilt tree and offers the five classes. */
    @Test
    void locustFindsTheFiveUserClassesInTheMountedTree(@TempDir Path dir) throws Exception {
        Path locust = Path.of("/usr/bin/locust");
        assumeTrue(Files.isExecutable(locust), "Locust not installed (apt-get install python3-locust)");
        List<HasMetadata> resources = Charts.render(LOADTEST);
        PodSpec worker = Hardening.podSpecs(resources).entrySet().stream()
                .filter(e -> e.getKey().contains("worker"))
                .findFirst()
                .orElseThrow()
                .getValue();
        Path mount = dir.resolve("mnt/locust");
        for (var file : mountedFiles(resources, worker).entrySet()) {
            Path path = mount.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        // run from elsewhere, so nothing but the mounted tree can provide the package
        Process process = new ProcessBuilder(
                        locust.toString(), "-f", mount.resolve("locustfile.py").toString(), "--list")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("locust --list finished")
                .isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> listed = output.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("Available"))
                .toList();
        assertThat(listed).as(output).containsExactlyInAnyOrderElementsOf(LocustfileSingleSourceTest.USER_CLASSES);
    }
}
