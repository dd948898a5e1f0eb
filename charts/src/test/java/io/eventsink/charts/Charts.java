package io.eventsink.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Test support: where the charts live, helm lint/template through helm-java, and turning rendered
 * output into fabric8 model objects.
 */
final class Charts {

    static final String OPERATOR = "eventsink-operator";
    static final String LOADTEST = "eventsink-loadtest";
    static final String RELEASE = "es";
    static final String NAMESPACE = "eventsink-system";
    /** helm template assumes Kubernetes 1.20 unless told; the charts need >= 1.25. */
    static final String KUBE_VERSION = "1.31.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Charts() {}

    /** The repository root (absolute), from the surefire system property or the working directory. */
    static Path repoRoot() {
        String configured = System.getProperty("eventsink.repoRoot");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static Path chartDir(String chart) {
        return repoRoot().resolve("charts").resolve(chart);
    }

    /** The chart's ci/*.yaml values files, sorted by name. */
    static List<Path> ciValuesFiles(String chart) {
        try (Stream<Path> files = Files.list(chartDir(chart).resolve("ci"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TemplateCommand template(String chart) {
        return new Helm(chartDir(chart))
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
    }

    static List<HasMetadata> render(String chart, Consumer<TemplateCommand> options) {
        TemplateCommand command = template(chart);
        options.accept(command);
        return parse(command.call());
    }

    static List<HasMetadata> render(String chart) {
        return render(chart, c -> {});
    }

    static List<HasMetadata> renderWithValues(String chart, Path valuesFile) {
        return render(chart, c -> c.withValuesFile(valuesFile));
    }

    /**
     * Splits rendered multi-document YAML and unmarshals every non-empty document into its fabric8
     * model type (GenericKubernetesResource for kinds the model does not know, e.g. ServiceMonitor).
     */
    static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            KubernetesResource parsed =
                    Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
            if (!(parsed instanceof HasMetadata resource)) {
                throw new AssertionError("rendered document is not a Kubernetes object:\n" + document);
            }
            resources.add(resource);
        }
        return resources;
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T single(List<HasMetadata> resources, Class<T> type) {
        List<T> matches = ofType(resources, type);
        if (matches.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " but found " + matches.size()
                    + ": "
                    + matches.stream().map(r -> r.getMetadata().getName()).toList());
        }
        return matches.get(0);
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> type, String name) {
        return ofType(resources, type).stream()
                .filter(r -> name.equals(r.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in "
                        + resources.stream()
                                .map(r -> r.getKind() + "/" + r.getMetadata().getName())
                                .toList()));
    }

    /** Runs the template and returns the failure message; fails the test if rendering succeeds. */
    static String templateError(String chart, Consumer<TemplateCommand> options) {
        TemplateCommand command = template(chart);
        options.accept(command);
        try {
            String rendered = command.call();
            throw new AssertionError("expected helm template to fail, but it rendered:\n" + rendered);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    static LintResult lint(Path chartDir) {
        return new Helm(chartDir).lint().strict().call();
    }

    /**
     * helm-java's lint has no values-file option, so `helm lint -f ci/x.yaml` is reproduced by linting
     * a copy of the chart (symlinks resolved) whose values.yaml is the chart's values coalesced with the
     * ci file the way Helm merges values files (maps merged recursively, everything else replaced,
     * null removes a key).
     */
    static LintResult lintWithValues(String chart, Path valuesFile, Path workDir) {
        Path copy = workDir.resolve(chart);
        copyTree(chartDir(chart), copy);
        try {
            JsonNode defaults =
                    YAML.readTree(chartDir(chart).resolve("values.yaml").toFile());
            JsonNode overrides = YAML.readTree(valuesFile.toFile());
            JsonNode merged = coalesce(defaults.deepCopy(), overrides);
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lint(copy);
    }

    static JsonNode coalesce(JsonNode base, JsonNode overrides) {
        if (!(base instanceof ObjectNode target) || overrides == null || !overrides.isObject()) {
            return overrides == null ? base : overrides;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = target.get(field.getKey());
            if (field.getValue().isNull()) {
                target.remove(field.getKey());
            } else if (current != null && current.isObject() && field.getValue().isObject()) {
                coalesce(current, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
        return target;
    }

    private static void copyTree(Path source, Path target) {
        // FOLLOW_LINKS: the copy holds the real locustfile and package, not links that would dangle
        try (Stream<Path> paths = Files.walk(source, FileVisitOption.FOLLOW_LINKS)) {
            for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path.toRealPath(), destination);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yamlTree(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper yamlMapper() {
        return YAML;
    }
}
