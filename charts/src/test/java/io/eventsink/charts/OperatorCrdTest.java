package io.eventsink.charts;

import static io.eventsink.charts.Charts.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRD is the one the operator build generates (operator/pom.xml copies it into crds/):
 * these tests fail, rather than skip, while either file is missing.
 */
class OperatorCrdTest {

    static final Path CHART_CRD = Charts.chartDir(OPERATOR).resolve("crds/eventsinks.eventsink.io-v1.yml");
    static final Path GENERATED_CRD =
            Charts.repoRoot().resolve("operator/target/classes/META-INF/fabric8/eventsinks.eventsink.io-v1.yml");

    static CustomResourceDefinition load(Path file, String producedBy) {
        assertThat(file)
                .as("%s is missing: it is produced by %s", file, producedBy)
                .isRegularFile();
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    static CustomResourceDefinition chartCrd() {
        return load(CHART_CRD, "the operator build (mvn -pl operator package copies the generated CRD into the chart)");
    }

    @Test
    void chartCrdEqualsTheGeneratedOne() throws IOException {
        CustomResourceDefinition generated =
                load(GENERATED_CRD, "the operator build's fabric8 crd-generator (mvn -pl operator package)");
        CustomResourceDefinition inChart = chartCrd();
        assertThat(inChart)
                .as("chart CRD vs generated CRD (re-run the operator build to refresh crds/)")
                .isEqualTo(generated);
        assertThat(Files.readString(CHART_CRD)).isEqualTo(Files.readString(GENERATED_CRD));
    }

    @Test
    void crdFollowsTheConventions() {
        CustomResourceDefinition crd = chartCrd();
        assertThat(crd.getMetadata().getName()).isEqualTo("eventsinks.eventsink.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("eventsink.io");
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("EventSink");
        assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("eventsinks");
        assertThat(crd.getSpec().getNames().getShortNames()).contains("es");
        List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
        assertThat(versions).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("v1alpha1");
            assertThat(v.getServed()).isTrue();
            assertThat(v.getStorage()).isTrue();
            assertThat(v.getSubresources().getStatus())
                    .as("status subresource (RBAC grants eventsinks/status)")
                    .isNotNull();
            assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKey("spec");
        });
    }

    @Test
    void helmLoadsTheCrdFromCrdsUnchanged() {
        // `helm show crds` lists what Helm installs from crds/ before the templates.
        List<io.fabric8.kubernetes.api.model.HasMetadata> crds =
                Charts.parse(new Helm(Charts.chartDir(OPERATOR)).show().crds().call());
        assertThat(Charts.single(crds, CustomResourceDefinition.class)).isEqualTo(chartCrd());
        // helm template leaves crds/ out (no --include-crds): the templates never duplicate the CRD.
        assertThat(Charts.ofType(Charts.render(OPERATOR), CustomResourceDefinition.class))
                .isEmpty();
    }
}
