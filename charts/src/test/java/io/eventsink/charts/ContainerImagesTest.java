package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Dockerfiles are checked by construction: base image, user, the files
 * they copy against what the module's build produces, ports, and the image names the charts use.
 */
class ContainerImagesTest {

    @Test
    void theOperatorImageIsASlimJre25NonRootWithJarAndLibs() {
        Path dir = Charts.repoRoot().resolve("operator");
        String dockerfile = Charts.read(dir.resolve("Dockerfile"));
        List<String> instructions = instructions(dockerfile);
        assertJre25(dockerfile);
        assertThat(instructions).filteredOn(i -> i.startsWith("FROM ")).containsExactly("FROM ${JRE_IMAGE}");
        assertNonRootAfterUser(dockerfile, instructions);
        assertThat(instructions)
                .contains(
                        "COPY target/libs/ /app/libs/",
                        "COPY target/eventsink-operator.jar /app/eventsink-operator.jar",
                        "EXPOSE 8081");
        assertThat(instructions)
                .filteredOn(i -> i.startsWith("ENTRYPOINT"))
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .contains("\"-jar\", \"/app/eventsink-operator.jar\"")
                        .contains("-XX:MaxRAMPercentage"));
        assertBuildProduces(dir, "eventsink-operator");
        assertThat(Charts.read(dir.resolve(".dockerignore"))
                        .lines()
                        .map(String::trim)
                        .toList())
                .contains("*", "!target/eventsink-operator.jar", "!target/libs/");
    }

    /**
     * The service image: a training stage runs the shipped jar with the image's own JVM options to
     * record a JDK AOT cache; the final stage starts with it. Both stages on the same JRE 25.
     */
    @Test
    void theServiceImageStartsWithAnAotCacheRecordedFromItsOwnJar() {
        Path root = Charts.repoRoot();
        String dockerfile = Charts.read(root.resolve("service/Dockerfile"));
        List<String> instructions = instructions(dockerfile);
        assertJre25(dockerfile);
        assertThat(instructions)
                .filteredOn(i -> i.startsWith("FROM "))
                .containsExactly("FROM ${JRE_IMAGE} AS aot-training", "FROM ${JRE_IMAGE}");
        int finalStage = instructions.indexOf("FROM ${JRE_IMAGE}");
        List<String> training = instructions.subList(0, finalStage);
        List<String> image = instructions.subList(finalStage, instructions.size());
        // the training stage runs exactly the jar, libs and options the image ships, at the same paths
        for (List<String> stage : List.of(training, image)) {
            assertThat(stage)
                    .contains(
                            "COPY service/target/libs/ /app/libs/",
                            "COPY service/target/eventsink-service.jar /app/eventsink-service.jar",
                            "COPY service/jvm.options /app/jvm.options");
        }
        assertThat(training)
                .filteredOn(i -> i.startsWith("RUN "))
                .singleElement()
                .satisfies(r -> assertThat(r).contains("train.sh /app/eventsink-service.jar /app/eventsink.aot"));
        assertThat(image)
                .contains("COPY --from=aot-training /app/eventsink.aot /app/eventsink.aot", "EXPOSE 3000 9090");
        assertNonRootAfterUser(dockerfile, image);
        assertThat(image)
                .filteredOn(i -> i.startsWith("ENTRYPOINT"))
                .singleElement()
                .isEqualTo("ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-XX:AOTCache=/app/eventsink.aot\", "
                        + "\"-jar\", \"/app/eventsink-service.jar\"]");
        // train.sh starts the service with the same options file
        assertThat(Charts.read(root.resolve("service/aot/train.sh")))
                .contains("@\"$HERE/../jvm.options\" -XX:AOTCacheOutput=\"$CACHE\" -jar \"$JAR\"");
        assertThat(Charts.read(root.resolve("service/jvm.options"))).contains("-XX:MaxRAMPercentage=");
        assertBuildProduces(root.resolve("service"), "eventsink-service");
        assertBuildProduces(root.resolve("dev/server"), "eventsink-dev");
        // every COPY source is let through by the Dockerfile's own ignore file, and nothing else
        List<String> ignore = Charts.read(root.resolve("service/Dockerfile.dockerignore"))
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        List<String> sources = instructions.stream()
                .filter(i -> i.startsWith("COPY ") && !i.startsWith("COPY --from"))
                .map(i -> i.split(" ")[1])
                .distinct()
                .toList();
        assertThat(ignore.getFirst()).isEqualTo("*");
        assertThat(ignore.subList(1, ignore.size()))
                .containsExactlyInAnyOrderElementsOf(
                        sources.stream().map(p -> "!" + p).toList());
    }

    private static void assertJre25(String dockerfile) {
        Matcher base = Pattern.compile("(?m)^ARG JRE_IMAGE=eclipse-temurin:(\\d+)-jre(-[a-z]+)?$")
                .matcher(dockerfile);
        assertThat(base.find()).as("the base is a Temurin JRE").isTrue();
        assertThat(Integer.parseInt(base.group(1)))
                .as("JRE major version: the JDK the project is tested on")
                .isEqualTo(25);
    }

    private static void assertNonRootAfterUser(String dockerfile, List<String> instructions) {
        assertThat(instructions).filteredOn(i -> i.startsWith("USER ")).containsExactly("USER 10001:10001");
        assertThat(instructions.get(instructions.size() - 1))
                .as("the last instruction")
                .startsWith("ENTRYPOINT");
        int user = instructions.indexOf("USER 10001:10001");
        assertThat(instructions.subList(user, instructions.size()))
                .as("nothing runs as root after USER")
                .noneMatch(i -> i.startsWith("RUN "));
        assertThat(dockerfile).contains("useradd --system --uid 10001 --gid 10001");
    }

    /** The build produces exactly what the Dockerfile copies: the finalName and the libs/ Class-Path. */
    private static void assertBuildProduces(Path module, String artifact) {
        String pom = Charts.read(module.resolve("pom.xml"));
        assertThat(pom).contains("<finalName>" + artifact + "</finalName>");
        assertThat(pom).containsPattern("<outputDirectory>\\$\\{project.build.directory}/libs</outputDirectory>");
        assertThat(pom).containsPattern("<classpathPrefix>libs/?</classpathPrefix>");
    }

    @Test
    void chartsUseTheConventionImageNamesAndUsers() {
        var operator = Charts.yamlTree(Charts.chartDir(Charts.OPERATOR).resolve("values.yaml"));
        assertThat(operator.at("/image/repository").asText()).isEqualTo("ghcr.io/eventsink/eventsink-operator");
        assertThat(operator.at("/podSecurityContext/runAsUser").asInt()).isEqualTo(10001);
        var loadtest = Charts.yamlTree(Charts.chartDir(Charts.LOADTEST).resolve("values.yaml"));
        assertThat(loadtest.at("/image/repository").asText()).isEqualTo("ghcr.io/eventsink/eventsink-loadtest");
        // The load-test image (loadtest/Dockerfile) must run as the UID the chart declares.
        String loadtestDockerfile = Charts.read(Charts.repoRoot().resolve("loadtest/Dockerfile"));
        List<String> instructions = instructions(loadtestDockerfile);
        assertThat(instructions)
                .filteredOn(i -> i.startsWith("FROM "))
                .singleElement()
                .satisfies(f -> assertThat(f).startsWith("FROM locustio/locust:"));
        List<String> users =
                instructions.stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1))
                .startsWith(
                        "USER " + loadtest.at("/podSecurityContext/runAsUser").asInt());
        for (var chart : List.of(Charts.OPERATOR, Charts.LOADTEST)) {
            var meta = Charts.yamlTree(Charts.chartDir(chart).resolve("Chart.yaml"));
            assertThat(meta.path("appVersion").asText())
                    .as("%s appVersion = image tag", chart)
                    .isEqualTo("0.1.0");
        }
    }

    /** Dockerfile instructions with line continuations joined and comments dropped. */
    static List<String> instructions(String dockerfile) {
        String joined = dockerfile.replaceAll("\\\\\\r?\\n", " ");
        return joined.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.replaceAll("\\s+", " "))
                .toList();
    }
}
