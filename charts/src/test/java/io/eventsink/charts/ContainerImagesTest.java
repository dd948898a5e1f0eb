package io.eventsink.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No Docker engine runs here, so the Dockerfiles are checked by construction: base image, user, the files
 * they copy against what the module's build produces, ports, and the image names the charts use.
 */
class ContainerImagesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"service,  eventsink-service,  3000 9090", "operator, eventsink-operator, 8081"})
    void javaImagesAreSlimJre21NonRootWithJarAndLibs(String module, String artifact, String ports) {
        Path dir = Charts.repoRoot().resolve(module);
        String dockerfile = Charts.read(dir.resolve("Dockerfile"));
        List<String> instructions = instructions(dockerfile);

        Matcher base = Pattern.compile("(?m)^ARG JRE_IMAGE=eclipse-temurin:(\\d+)-jre(-[a-z]+)?$")
                .matcher(dockerfile);
        assertThat(base.find()).as("%s base is a Temurin JRE", module).isTrue();
        assertThat(Integer.parseInt(base.group(1))).as("JRE major version").isGreaterThanOrEqualTo(21);
        assertThat(instructions).filteredOn(i -> i.startsWith("FROM ")).containsExactly("FROM ${JRE_IMAGE}");

        assertThat(instructions).filteredOn(i -> i.startsWith("USER ")).containsExactly("USER 10001:10001");
        assertThat(instructions.get(instructions.size() - 1))
                .as("the last instruction")
                .startsWith("ENTRYPOINT");
        int user = instructions.indexOf("USER 10001:10001");
        assertThat(instructions.subList(user, instructions.size()))
                .as("nothing runs as root after USER")
                .noneMatch(i -> i.startsWith("RUN "));
        assertThat(dockerfile).contains("useradd --system --uid 10001 --gid 10001");

        assertThat(instructions)
                .contains(
                        "COPY target/libs/ /app/libs/",
                        "COPY target/" + artifact + ".jar /app/" + artifact + ".jar",
                        "EXPOSE " + ports);
        assertThat(instructions)
                .filteredOn(i -> i.startsWith("ENTRYPOINT"))
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .contains("\"-jar\", \"/app/" + artifact + ".jar\"")
                        .contains("-XX:MaxRAMPercentage"));

        // The build produces exactly what the Dockerfile copies: the finalName and the libs/ Class-Path.
        String pom = Charts.read(dir.resolve("pom.xml"));
        assertThat(pom).contains("<finalName>" + artifact + "</finalName>");
        assertThat(pom).containsPattern("<outputDirectory>\\$\\{project.build.directory}/libs</outputDirectory>");
        assertThat(pom).containsPattern("<classpathPrefix>libs/?</classpathPrefix>");

        assertThat(Charts.read(dir.resolve(".dockerignore"))
                        .lines()
                        .map(String::trim)
                        .toList())
                .contains("*", "!target/" + artifact + ".jar", "!target/libs/");
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
