package io.eventsink.charts;

import static io.eventsink.charts.Charts.LOADTEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * loadtest/locustfile.py and the package loadtest/eventsink_loadtest/ are the one source of truth. The
 * chart reaches them through the symlinks files/locustfile.py and files/eventsink_loadtest (Helm only
 * reads files inside the chart; it follows symlinks, to files and to directories, when loading a chart
 * directory and stores the targets' content when packaging), and these tests prove the rendered
 * ConfigMap carries exactly those files.
 */
class LocustfileSingleSourceTest {

    static final Path LOADTEST_DIR = Charts.repoRoot().resolve("loadtest");
    static final Path LOCUSTFILE = LOADTEST_DIR.resolve("locustfile.py");
    static final Path PACKAGE = LOADTEST_DIR.resolve("eventsink_loadtest");
    static final List<String> USER_CLASSES = List.of(
            "EventSinkUser", "HighVolumeEventSinkUser", "InvalidEventUser", "CmcdEventUser", "BatchEventSinkUser");
    private static final Path FILES = Charts.chartDir(LOADTEST).resolve("files");
    private static final Pattern USER_CLASS = Pattern.compile("(?m)^class (\\w+)\\([^)]*User\\):");

    /** The package's modules: file name to content. */
    static Map<String, String> packageModules() {
        try (Stream<Path> files = Files.list(PACKAGE)) {
            Map<String, String> modules = new HashMap<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".py"))
                    .toList()) {
                modules.put(file.getFileName().toString(), Files.readString(file));
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theChartFilesAreSymlinksIntoLoadtest() throws IOException {
        assertThat(LOCUSTFILE).isRegularFile();
        assertThat(PACKAGE.resolve("__init__.py")).isRegularFile();
        for (var link : Map.of(
                        "locustfile.py", "../../../loadtest/locustfile.py",
                        "eventsink_loadtest", "../../../loadtest/eventsink_loadtest")
                .entrySet()) {
            Path path = FILES.resolve(link.getKey());
            assertThat(Files.isSymbolicLink(path))
                    .as("%s must stay a symlink to %s (no copy that can drift)", path, link.getValue())
                    .isTrue();
            assertThat(Files.readSymbolicLink(path).toString()).isEqualTo(link.getValue());
        }
        assertThat(FILES.resolve("locustfile.py").toRealPath()).isEqualTo(LOCUSTFILE.toRealPath());
        assertThat(FILES.resolve("eventsink_loadtest").toRealPath()).isEqualTo(PACKAGE.toRealPath());
    }

    @Test
    void theRenderedConfigMapHoldsExactlyTheLocustfileAndEveryModule() throws IOException {
        assertConfigMapHoldsTheSources(Charts.single(Charts.render(LOADTEST), ConfigMap.class));
    }

    /** `helm package` stores the linked files' content, so a packaged chart renders the same ConfigMap. */
    @Test
    void aPackagedChartCarriesTheFilesNotTheLinks(@TempDir Path dir) throws IOException {
        new Helm(Charts.chartDir(LOADTEST)).packageIt().withDestination(dir).call();
        Path archive;
        try (Stream<Path> files = Files.list(dir)) {
            archive =
                    files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        String rendered = new Helm(archive)
                .template()
                .withName(Charts.RELEASE)
                .withNamespace(Charts.NAMESPACE)
                .withKubeVersion(Charts.KUBE_VERSION)
                .call();
        assertConfigMapHoldsTheSources(Charts.single(Charts.parse(rendered), ConfigMap.class));
    }

    private static void assertConfigMapHoldsTheSources(ConfigMap configMap) throws IOException {
        Map<String, String> modules = packageModules();
        assertThat(modules).containsKey("__init__.py").hasSizeGreaterThan(USER_CLASSES.size());
        List<String> keys = new ArrayList<>(modules.keySet());
        keys.addAll(List.of("locustfile.py", "run-master.sh"));
        assertThat(configMap.getData()).containsOnlyKeys(keys);
        assertThat(configMap.getData().get("locustfile.py"))
                .as("ConfigMap locustfile.py vs loadtest/locustfile.py")
                .isEqualTo(Files.readString(LOCUSTFILE));
        modules.forEach((name, content) -> assertThat(configMap.getData().get(name))
                .as("ConfigMap %s vs loadtest/eventsink_loadtest/%s", name, name)
                .isEqualTo(content));
        assertThat(configMap.getData().get("run-master.sh"))
                .isEqualTo(Files.readString(FILES.resolve("run-master.sh")));
    }

    /** Each user class is defined in a module of its own and imported by the locustfile, Locust's entry point. */
    @Test
    void theLocustfileOffersTheUserClassesAndGateTheChartPassesOn() throws IOException {
        Map<String, String> definedIn = new HashMap<>();
        packageModules().forEach((module, source) -> {
            Matcher m = USER_CLASS.matcher(source);
            while (m.find()) {
                assertThat(definedIn.put(m.group(1), module))
                        .as("%s defined once", m.group(1))
                        .isNull();
            }
        });
        assertThat(definedIn).containsOnlyKeys(USER_CLASSES);
        assertThat(definedIn.values()).as("one module per user class").doesNotHaveDuplicates();
        String locustfile = Files.readString(LOCUSTFILE);
        definedIn.forEach((userClass, module) -> assertThat(locustfile)
                .as("locustfile.py imports %s", userClass)
                .containsPattern(
                        "(?m)^from eventsink_loadtest\\." + module.replace(".py", "") + " import " + userClass + "$"));
        String hooks = packageModules().get("hooks.py");
        assertThat(hooks)
                .contains(
                        "LOADTEST_MAX_FAILURE_RATIO",
                        "LOADTEST_MAX_P95_MS",
                        "LOADTEST_MIN_REQUESTS",
                        "LOADTEST_USER_WEIGHTS");
        // The chart's default and ci/ user class lists only name classes that exist.
        List<Path> valuesFiles = new ArrayList<>(Charts.ciValuesFiles(LOADTEST));
        valuesFiles.add(Charts.chartDir(LOADTEST).resolve("values.yaml"));
        for (Path file : valuesFiles) {
            JsonNode locust = Charts.yamlTree(file).path("locust");
            locust.path("userClasses")
                    .forEach(c -> assertThat(USER_CLASSES)
                            .as("user class named in %s", file.getFileName())
                            .contains(c.asText()));
            locust.path("userClassWeights")
                    .fieldNames()
                    .forEachRemaining(c -> assertThat(USER_CLASSES)
                            .as("user class weighted in %s", file.getFileName())
                            .contains(c));
        }
    }

    /** values.yaml names every user class the locustfile offers, so chart users know what they can pick. */
    @Test
    void theValuesDocumentEveryUserClassOfTheLocustfile() throws IOException {
        String values = Files.readString(Charts.chartDir(LOADTEST).resolve("values.yaml"));
        for (String userClass : USER_CLASSES) {
            assertThat(values).as("values.yaml mentions %s", userClass).containsPattern("\\b" + userClass + "\\b");
        }
    }
}
