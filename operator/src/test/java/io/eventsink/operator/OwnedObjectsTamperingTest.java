package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.condition;
import static io.eventsink.operator.TestSupport.eventSink;
import static io.eventsink.operator.TestSupport.eventually;
import static io.eventsink.operator.TestSupport.get;
import static io.eventsink.operator.TestSupport.isTrue;
import static io.eventsink.operator.TestSupport.markDeploymentAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.Condition;
import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.EventSinkSpec;
import io.eventsink.operator.crd.spec.IngressSpec;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What people and tools do to owned objects, end to end on the mock API server (CRUD mode) with ElasticMQ: for each
 * owned kind, its managed-by label removed (our informers stop seeing it, so the operator's create answers 409),
 * its owner reference removed, and a same-named object that belongs to someone else.
 */
@EnableKubernetesMockClient(crud = true)
class OwnedObjectsTamperingTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    static ElasticMq elasticMq;
    static SimpleMeterRegistry registry;
    static EventSinkOperator operator;

    /** Every kind an EventSink with an Ingress owns, and its name. */
    static final List<Class<? extends HasMetadata>> KINDS = List.of(
            ServiceAccount.class,
            ConfigMap.class,
            Deployment.class,
            Service.class,
            HorizontalPodAutoscaler.class,
            PodDisruptionBudget.class,
            Ingress.class);

    @BeforeAll
    static void start() throws Exception {
        elasticMq = ElasticMq.start(0);
        TestSupport.installCrd(client);
        registry = new SimpleMeterRegistry();
        operator = new EventSinkOperator(
                        client, TestSupport.settings(Set.of(), false, "tamper", Duration.ofMinutes(10)), registry)
                .start();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    static String objectName(Class<?> kind) {
        return kind == ConfigMap.class ? "sink-config" : "sink";
    }

    static <T extends HasMetadata> T owned(Class<T> kind, String ns) {
        return client.resources(kind).inNamespace(ns).withName(objectName(kind)).get();
    }

    private static EventSink readySink(String ns) {
        client.resource(eventSink(ns, "sink", elasticMq.endpoint(), withIngress()))
                .create();
        eventually().until(() -> KINDS.stream().allMatch(k -> owned(k, ns) != null));
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        return get(client, ns, "sink");
    }

    private static Consumer<EventSinkSpec> withIngress() {
        return s -> {
            s.ingress = new IngressSpec();
            s.ingress.enabled = true;
            s.ingress.host = "events.example.com";
        };
    }

    private static boolean controlledBy(HasMetadata o, EventSink es) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs != null
                && refs.size() == 1
                && refs.get(0).getUid().equals(es.getMetadata().getUid())
                && Boolean.TRUE.equals(refs.get(0).getController())
                && Boolean.TRUE.equals(refs.get(0).getBlockOwnerDeletion());
    }

    @Test
    void everyOwnedObjectCarriesAControllerReference() {
        String ns = "controller-ref";
        EventSink es = readySink(ns);
        for (var kind : KINDS) {
            assertThat(controlledBy(owned(kind, ns), es))
                    .as(kind.getSimpleName())
                    .isTrue();
        }
    }

    /** kubectl label deploy sink app.kubernetes.io/managed-by- (and the same for every kind). */
    @Test
    void removedManagedByLabelIsPutBackOnTheSameObject() {
        String ns = "label-removed";
        EventSink es = readySink(ns);
        Map<Class<?>, String> uids = new LinkedHashMap<>();
        for (var kind : KINDS) {
            HasMetadata o = owned(kind, ns);
            uids.put(kind, o.getMetadata().getUid());
            o.getMetadata().getLabels().remove(Labels.MANAGED_BY);
            client.resource(o).update();
        }
        for (var kind : KINDS) {
            eventually().untilAsserted(() -> {
                HasMetadata o = owned(kind, ns);
                assertThat(o.getMetadata().getLabels())
                        .as(kind.getSimpleName())
                        .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
                assertThat(o.getMetadata().getUid())
                        .as("the same object, taken back")
                        .isEqualTo(uids.get(kind));
                assertThat(controlledBy(o, es)).isTrue();
            });
        }
        // (the mock API server counts any update as a new generation: play the Deployment controller again)
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> {
            Condition degraded = condition(client, ns, "sink", Conditions.DEGRADED);
            return degraded != null && "False".equals(degraded.status) && isTrue(client, ns, "sink", Conditions.READY);
        });
        assertThat(registry.find(OperatorMetrics.ADOPTIONS).counters()).isNotEmpty();
        assertExactlyOneOwned(ns, es);
    }

    /** kubectl patch --type=json -p '[{"op":"remove","path":"/metadata/ownerReferences"}]' on every kind. */
    @Test
    void removedOwnerReferenceIsPutBack() {
        String ns = "owner-removed";
        EventSink es = readySink(ns);
        for (var kind : KINDS) {
            HasMetadata o = owned(kind, ns);
            o.getMetadata().setOwnerReferences(null);
            client.resource(o).update();
        }
        for (var kind : KINDS) {
            eventually()
                    .untilAsserted(() -> assertThat(controlledBy(owned(kind, ns), es))
                            .as(kind.getSimpleName())
                            .isTrue());
        }
        // (the mock API server counts any update as a new generation: play the Deployment controller again)
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        assertExactlyOneOwned(ns, es);
    }

    /**
     * Objects of every kind with the names the operator would use, created by someone else before the EventSink:
     * unlabelled ones (our informers never see them: the create answers 409), and a Deployment with our labels but
     * another controller (our informer sees it). None is touched; the status names the conflict; once they are gone
     * the operator creates its own.
     */
    @Test
    void sameNamedForeignObjectsAreReportedAndLeftUntouched() {
        String ns = "foreign";
        TestSupport.namespace(client, ns);
        Map<Class<?>, HasMetadata> foreign = new LinkedHashMap<>();
        ObjectMeta plain = new ObjectMetaBuilder()
                .withNamespace(ns)
                .withName("sink")
                .withLabels(Map.of("team", "someone-else"))
                .build();
        foreign.put(
                ServiceAccount.class,
                client.resource(new ServiceAccountBuilder().withMetadata(plain).build())
                        .create());
        foreign.put(
                ConfigMap.class,
                client.resource(new ConfigMapBuilder()
                                .withMetadata(new ObjectMetaBuilder(plain)
                                        .withName("sink-config")
                                        .build())
                                .withData(Map.of("KEEP", "me"))
                                .build())
                        .create());
        // our labels, but controlled by someone else: visible to our informer, still not ours
        foreign.put(
                Deployment.class,
                client.resource(new DeploymentBuilder()
                                .withMetadata(new ObjectMetaBuilder(plain)
                                        .withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.INSTANCE, "sink"))
                                        .addNewOwnerReference()
                                        .withApiVersion("example.com/v1")
                                        .withKind("Application")
                                        .withName("their-app")
                                        .withUid("their-uid")
                                        .withController(true)
                                        .endOwnerReference()
                                        .build())
                                .withNewSpec()
                                .withNewSelector()
                                .addToMatchLabels("app", "theirs")
                                .endSelector()
                                .withNewTemplate()
                                .withNewMetadata()
                                .addToLabels("app", "theirs")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("app")
                                .withImage("their/image:1")
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec()
                                .build())
                        .create());
        foreign.put(
                Service.class,
                client.resource(new ServiceBuilder()
                                .withMetadata(plain)
                                .withNewSpec()
                                .addToSelector("app", "theirs")
                                .addNewPort()
                                .withPort(80)
                                .endPort()
                                .endSpec()
                                .build())
                        .create());
        foreign.put(
                HorizontalPodAutoscaler.class,
                client.resource(new HorizontalPodAutoscalerBuilder()
                                .withMetadata(plain)
                                .withNewSpec()
                                .withMaxReplicas(3)
                                .withNewScaleTargetRef()
                                .withKind("Deployment")
                                .withName("theirs")
                                .endScaleTargetRef()
                                .endSpec()
                                .build())
                        .create());
        foreign.put(
                PodDisruptionBudget.class,
                client.resource(new PodDisruptionBudgetBuilder()
                                .withMetadata(plain)
                                .withNewSpec()
                                .withNewMaxUnavailable(1)
                                .endSpec()
                                .build())
                        .create());
        foreign.put(
                Ingress.class,
                client.resource(new IngressBuilder()
                                .withMetadata(plain)
                                .withNewSpec()
                                .addNewRule()
                                .withHost("theirs.example.com")
                                .endRule()
                                .endSpec()
                                .build())
                        .create());

        client.resource(eventSink(ns, "sink", elasticMq.endpoint(), withIngress()))
                .create();
        String uid = get(client, ns, "sink").getMetadata().getUid();
        eventually().until(() -> {
            Condition d = condition(client, ns, "sink", Conditions.DEGRADED);
            return d != null && d.isTrue() && "ResourceConflict".equals(d.reason);
        });
        Condition ready = condition(client, ns, "sink", Conditions.READY);
        assertThat(ready.status).isEqualTo("False");
        assertThat(ready.reason).isEqualTo("ResourceConflict");
        assertThat(ready.message)
                .matches(".*(ServiceAccount|ConfigMap|Deployment|Service|HorizontalPodAutoscaler|PodDisruptionBudget"
                        + "|Ingress) foreign/sink(-config)? already exists and is not owned by this EventSink.*");
        eventually()
                .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                        .anyMatch(e -> "Warning".equals(e.getType())
                                && "ResourceConflict".equals(e.getReason())
                                && uid.equals(e.getInvolvedObject().getUid())));

        // several retries later, still nothing of theirs changed
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            for (var e : foreign.entrySet()) {
                HasMetadata now = owned(e.getKey().asSubclass(HasMetadata.class), ns);
                assertThat(now.getMetadata().getResourceVersion())
                        .as(e.getKey().getSimpleName() + " untouched")
                        .isEqualTo(e.getValue().getMetadata().getResourceVersion());
            }
        });

        // they go away: the operator creates its own
        for (var kind : KINDS) {
            client.resources(kind).inNamespace(ns).withName(objectName(kind)).delete();
        }
        EventSink es = get(client, ns, "sink");
        eventually()
                .atMost(Duration.ofSeconds(45))
                .until(() -> KINDS.stream().allMatch(k -> {
                    HasMetadata o = owned(k, ns);
                    return o != null && controlledBy(o, es);
                }));
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().atMost(Duration.ofSeconds(45)).until(() -> isTrue(client, ns, "sink", Conditions.READY));
        assertThat(condition(client, ns, "sink", Conditions.DEGRADED).status).isEqualTo("False");
    }

    private static void assertExactlyOneOwned(String ns, EventSink es) {
        for (var kind : KINDS) {
            assertThat(client.resources(kind).inNamespace(ns).list().getItems())
                    .as(kind.getSimpleName())
                    .singleElement()
                    .satisfies(o -> assertThat(controlledBy(o, es)).isTrue());
        }
    }
}
