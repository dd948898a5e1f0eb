package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.model.Ownership.Claim;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnershipTest {
    private static final EventSinkModel M = Fixtures.minimalModel();

    private static ConfigMap object(Map<String, String> labels, String ownerUid, Boolean controller) {
        var b = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("sink-config")
                .withLabels(labels)
                .endMetadata();
        if (ownerUid != null) {
            b.editMetadata()
                    .addToOwnerReferences(new OwnerReferenceBuilder()
                            .withKind("EventSink")
                            .withName("x")
                            .withUid(ownerUid)
                            .withController(controller)
                            .build())
                    .endMetadata();
        }
        return b.build();
    }

    @Test
    void ourUidIsOursAnotherControllerIsNotAnOrphanWithOurLabelsIsAdopted() {
        var ours = Labels.common(M);
        assertThat(Ownership.of(object(Map.of(), "uid-sink", null), M)).isEqualTo(Claim.OURS);
        assertThat(Ownership.of(object(ours, "uid-sink", true), M)).isEqualTo(Claim.OURS);
        assertThat(Ownership.of(object(ours, "someone", true), M)).isEqualTo(Claim.FOREIGN);
        assertThat(Ownership.of(object(ours, null, null), M)).isEqualTo(Claim.ADOPTABLE);
        assertThat(Ownership.of(object(Map.of("team", "x"), null, null), M)).isEqualTo(Claim.FOREIGN);
        assertThat(Ownership.of(
                        object(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.INSTANCE, "other-sink"), null, null),
                        M))
                .as("our label, another EventSink's instance")
                .isEqualTo(Claim.FOREIGN);
    }

    @Test
    void controlledByNeedsTheControllerFlags() {
        assertThat(Ownership.controlledBy(object(Map.of(), "uid-sink", null), M))
                .isFalse();
        var es = Fixtures.minimal();
        es.getMetadata().setUid("uid-sink");
        ConfigMap o = object(Map.of(), "uid-sink", null);
        o.getMetadata()
                .setOwnerReferences(
                        Ownership.withControllerReference(o.getMetadata().getOwnerReferences(), es));
        assertThat(o.getMetadata().getOwnerReferences()).singleElement();
        assertThat(Ownership.controlledBy(o, M)).isTrue();
    }
}
