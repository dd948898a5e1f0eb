package io.eventsink.operator;

import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.crd.spec.QueueSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;

final class TestSupport {
    static final String CRD_RESOURCE = "/META-INF/fabric8/eventsinks.eventsink.io-v1.yml";
    static final Path GENERATED_CRD = Path.of("target/classes" + CRD_RESOURCE);

    private TestSupport() {}

    static OperatorSettings settings(Set<String> namespaces, boolean leaderElection, String identity, Duration resync) {
        return new OperatorSettings(
                namespaces,
                leaderElection,
                "operators",
                identity,
                Duration.ofSeconds(15),
                0,
                "us-east-1",
                resync,
                "INFO",
                50);
    }

    /** Installs the generated CRD, read from the class path (the operator's classes, or its jar in the lab). */
    static void installCrd(KubernetesClient client) throws Exception {
        try (InputStream in = TestSupport.class.getResourceAsStream(CRD_RESOURCE)) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .create();
        }
    }

    static void namespace(KubernetesClient client, String ns) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
    }

    static EventSink eventSink(String ns, String name, String sqsEndpoint, Consumer<EventSinkSpec> customizer) {
        EventSink es = new EventSink();
        es.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        EventSinkSpec spec = new EventSinkSpec();
        spec.queue = new QueueSpec();
        spec.queue.endpoint = sqsEndpoint;
        customizer.accept(spec);
        es.setSpec(spec);
        return es;
    }

    static EventSink get(KubernetesClient client, String ns, String name) {
        return client.resources(EventSink.class).inNamespace(ns).withName(name).get();
    }

    static Condition condition(KubernetesClient client, String ns, String name, String type) {
        EventSink es = get(client, ns, name);
        return es == null || es.getStatus() == null ? null : es.getStatus().condition(type);
    }

    static boolean isTrue(KubernetesClient client, String ns, String name, String type) {
        Condition c = condition(client, ns, name, type);
        return c != null && c.isTrue();
    }

    /** What the Deployment controller would report once the pods pass their readiness probes. */
    static void markDeploymentAvailable(KubernetesClient client, String ns, String name, int replicas) {
        client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
            d.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(replicas)
                    .withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .withUpdatedReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder()
                            .withType("Available")
                            .withStatus("True")
                            .withReason("MinimumReplicasAvailable")
                            .build())
                    .build());
            return d;
        });
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
