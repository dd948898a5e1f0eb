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
import io.eventsink.operator.crd.spec.AutoscalingSpec;
import io.eventsink.operator.crd.spec.DeletionPolicy;
import io.eventsink.operator.crd.spec.EncryptionSpec;
import io.eventsink.operator.crd.spec.EncryptionType;
import io.eventsink.operator.crd.spec.IngressSpec;
import io.eventsink.operator.crd.spec.ServiceAccountSpec;
import io.eventsink.operator.dependent.OwnedDependent;
import io.eventsink.operator.model.Conditions;
import io.eventsink.operator.model.DeploymentModel;
import io.eventsink.operator.model.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The real operator against the fabric8 mock API server (CRUD mode) and a real SQS-compatible server (ElasticMQ).
 * Each test uses its own namespace; one operator serves them all, as in a cluster.
 */
@EnableKubernetesMockClient(crud = true)
class EventSinkOperatorE2ETest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    static ElasticMq elasticMq;
    static SimpleMeterRegistry registry;
    static EventSinkOperator operator;

    @BeforeAll
    static void startOperator() throws Exception {
        elasticMq = ElasticMq.start(0);
        TestSupport.installCrd(client);
        registry = new SimpleMeterRegistry();
        operator = new EventSinkOperator(
                        client, TestSupport.settings(Set.of(), false, "e2e", Duration.ofSeconds(2)), registry)
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

    private EventSink create(EventSink es) {
        return client.resource(es).create();
    }

    private <T extends HasMetadata> T owned(Class<T> type, String ns, String name) {
        return client.resources(type).inNamespace(ns).withName(name).get();
    }

    private Map<QueueAttributeName, String> queueAttributes(String url) {
        return elasticMq
                .sqs
                .getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
    }

    private boolean queueExists(String name) {
        try {
            elasticMq.sqs.getQueueUrl(r -> r.queueName(name));
            return true;
        } catch (QueueDoesNotExistException e) {
            return false;
        }
    }

    @Test
    void createsEveryOwnedObjectAndTheQueueThenBecomesReady() {
        String ns = "create";
        create(eventSink(ns, "player", elasticMq.endpoint(), s -> {
            s.config = Map.of("corsAllowedOrigins", List.of("https://a.example", "https://b.example"));
            s.queue.tags = Map.of("team", "video");
        }));

        eventually().until(() -> isTrue(client, ns, "player", Conditions.QUEUE_READY));
        eventually()
                .until(() -> owned(Deployment.class, ns, "player") != null
                        && owned(PodDisruptionBudget.class, ns, "player") != null
                        && owned(HorizontalPodAutoscaler.class, ns, "player") != null);

        EventSink es = get(client, ns, "player");
        String queueUrl = es.getStatus().queueUrl;
        assertThat(queueUrl).endsWith("/es-create-player");
        assertThat(es.getStatus().queueManaged).isTrue();
        assertThat(es.getStatus().endpoint).isEqualTo("http://player.create.svc:3000");
        assertThat(es.getMetadata().getFinalizers())
                .as("Retain policy: no finalizer")
                .isEmpty();

        // the queue and its dead-letter queue, with the attributes and ownership tags
        Map<QueueAttributeName, String> attrs = queueAttributes(queueUrl);
        // (ElasticMQ ignores MessageRetentionPeriod; its value is covered by QueueModelTest)
        assertThat(attrs).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
        assertThat(attrs.get(QueueAttributeName.REDRIVE_POLICY))
                .contains(es.getStatus().deadLetterQueueArn)
                .contains("\"maxReceiveCount\":5");
        assertThat(queueExists("es-create-player-dlq")).isTrue();
        assertThat(elasticMq.sqs.listQueueTags(r -> r.queueUrl(queueUrl)).tags())
                .containsEntry("eventsink.io/owner", "create/player")
                .containsEntry("eventsink.io/managed-by", "eventsink-operator")
                .containsEntry("team", "video");

        // Kubernetes objects, all owned by the EventSink
        Deployment dep = owned(Deployment.class, ns, "player");
        var pod = dep.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        assertThat(c.getEnv())
                .contains(
                        new EnvVar("SQS_QUEUE_URL", queueUrl, null),
                        new EnvVar("SQS_ENDPOINT", elasticMq.endpoint(), null));
        assertThat(c.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:3000", "management:9090");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/started");
        assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(80);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(35L);
        assertThat(dep.getSpec().getReplicas()).as("HPA owns replicas").isNull();
        ConfigMap cm = owned(ConfigMap.class, ns, "player-config");
        assertThat(cm.getData())
                .containsEntry("CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example")
                .containsEntry("SHUTDOWN_DELAY_MS", "5000");
        assertThat(dep.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(
                        DeploymentModel.CONFIG_HASH_ANNOTATION,
                        io.eventsink.operator.model.ConfigMapModel.hash(cm.getData()));
        assertThat(owned(ServiceAccount.class, ns, "player")).isNotNull();
        assertThat(owned(Service.class, ns, "player").getSpec().getPorts()).hasSize(2);
        assertThat(owned(HorizontalPodAutoscaler.class, ns, "player").getSpec().getMaxReplicas())
                .isEqualTo(10);
        assertThat(owned(HorizontalPodAutoscaler.class, ns, "player")
                        .getSpec()
                        .getBehavior()
                        .getScaleDown()
                        .getStabilizationWindowSeconds())
                .isEqualTo(300);
        assertThat(owned(Ingress.class, ns, "player")).as("ingress is opt-in").isNull();
        for (Class<? extends HasMetadata> type : List.of(
                ServiceAccount.class,
                ConfigMap.class,
                Deployment.class,
                Service.class,
                HorizontalPodAutoscaler.class,
                PodDisruptionBudget.class)) {
            HasMetadata o = owned(type, ns, type == ConfigMap.class ? "player-config" : "player");
            assertThat(o.getMetadata().getOwnerReferences())
                    .as(type.getSimpleName())
                    .singleElement()
                    .satisfies(ref -> {
                        assertThat(ref.getKind()).isEqualTo("EventSink");
                        assertThat(ref.getUid()).isEqualTo(es.getMetadata().getUid());
                    });
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
        }

        // not Ready until the Deployment is available
        Condition ready = condition(client, ns, "player", Conditions.READY);
        assertThat(ready.status).isEqualTo("False");
        assertThat(ready.reason).isEqualTo("Progressing");

        markDeploymentAvailable(client, ns, "player", 2);
        eventually().until(() -> isTrue(client, ns, "player", Conditions.READY));
        EventSink readyEs = get(client, ns, "player");
        assertThat(readyEs.getStatus().readyReplicas).isEqualTo(2);
        assertThat(readyEs.getStatus().observedGeneration)
                .isEqualTo(readyEs.getMetadata().getGeneration());
        assertThat(readyEs.getStatus().condition(Conditions.DEGRADED).status).isEqualTo("False");
        // an Event marks the transition
        eventually()
                .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                        .anyMatch(e -> "Ready".equals(e.getReason()) && "Normal".equals(e.getType())));
    }

    @Test
    void specChangeIsRolledOutAndObservedGenerationFollows() {
        String ns = "update";
        create(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}));
        eventually().until(() -> owned(Deployment.class, ns, "sink") != null);
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        EventSink before = get(client, ns, "sink");
        String queueReadySince = before.getStatus().condition(Conditions.QUEUE_READY).lastTransitionTime;
        String hashBefore = owned(Deployment.class, ns, "sink")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(DeploymentModel.CONFIG_HASH_ANNOTATION);

        client.resources(EventSink.class).inNamespace(ns).withName("sink").edit(es -> {
            es.getSpec().config = Map.of("heartbeatIntervalMs", 15000);
            es.getSpec().autoscaling = new AutoscalingSpec();
            es.getSpec().autoscaling.maxReplicas = 4;
            es.getSpec().queue.visibilityTimeoutSeconds = 120;
            return es;
        });
        long generation = get(client, ns, "sink").getMetadata().getGeneration();
        assertThat(generation).isGreaterThan(before.getMetadata().getGeneration());

        eventually().until(() -> get(client, ns, "sink").getStatus().observedGeneration == generation);
        assertThat(owned(ConfigMap.class, ns, "sink-config").getData()).containsEntry("HEARTBEAT_INTERVAL", "15000");
        assertThat(owned(HorizontalPodAutoscaler.class, ns, "sink").getSpec().getMaxReplicas())
                .isEqualTo(4);
        assertThat(owned(Deployment.class, ns, "sink")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations()
                        .get(DeploymentModel.CONFIG_HASH_ANNOTATION))
                .as("config change rolls the pods")
                .isNotEqualTo(hashBefore);
        assertThat(queueAttributes(get(client, ns, "sink").getStatus().queueUrl))
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "120");
        EventSink after = get(client, ns, "sink");
        assertThat(after.getStatus().conditions)
                .allSatisfy(c -> assertThat(c.observedGeneration).isEqualTo(generation));
        // the queue stayed ready throughout: its transition time is the original one
        assertThat(after.getStatus().condition(Conditions.QUEUE_READY).lastTransitionTime)
                .isEqualTo(queueReadySince);

        // the new template rolls out; once the Deployment reports it, the sink is Ready for the new generation
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        assertThat(get(client, ns, "sink").getStatus().observedGeneration).isEqualTo(generation);
    }

    @Test
    void reconcilingAgainChangesNothingAndTamperingIsRepaired() {
        String ns = "tamper";
        create(eventSink(ns, "sink", elasticMq.endpoint(), s -> {}));
        eventually()
                .until(() -> owned(Deployment.class, ns, "sink") != null
                        && owned(Service.class, ns, "sink") != null
                        && get(client, ns, "sink").getStatus() != null);
        markDeploymentAvailable(client, ns, "sink", 2);
        eventually().until(() -> isTrue(client, ns, "sink", Conditions.READY));
        String depVersion = owned(Deployment.class, ns, "sink").getMetadata().getResourceVersion();
        String esVersion = get(client, ns, "sink").getMetadata().getResourceVersion();

        // a periodic reconcile (every 2 s here) must leave everything as it is
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> owned(Deployment.class, ns, "sink")
                                .getMetadata()
                                .getResourceVersion()
                                .equals(depVersion)
                        && get(client, ns, "sink")
                                .getMetadata()
                                .getResourceVersion()
                                .equals(esVersion));

        // someone edits the Deployment by hand
        client.apps().deployments().inNamespace(ns).withName("sink").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/image:latest");
            d.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .removeIf(e -> e.getName().equals("SQS_QUEUE_URL"));
            return d;
        });
        eventually().untilAsserted(() -> {
            var container = owned(Deployment.class, ns, "sink")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            assertThat(container.getImage()).isEqualTo("ghcr.io/eventsink/eventsink-service:0.1.0");
            assertThat(container.getEnv()).extracting(EnvVar::getName).contains("SQS_QUEUE_URL");
        });

        // the HPA scales the Deployment: that is not drift, the operator must leave replicas alone
        client.apps().deployments().inNamespace(ns).withName("sink").edit(d -> {
            d.getSpec().setReplicas(5);
            return d;
        });
        String scaledVersion = owned(Deployment.class, ns, "sink").getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
            Deployment d = owned(Deployment.class, ns, "sink");
            return d.getSpec().getReplicas() == 5
                    && d.getMetadata().getResourceVersion().equals(scaledVersion);
        });

        // and deletes the Service and edits the ConfigMap
        client.services().inNamespace(ns).withName("sink").delete();
        client.configMaps().inNamespace(ns).withName("sink-config").edit(cm -> {
            cm.getData().put("LOG_LEVEL", "TRACE");
            return cm;
        });
        eventually()
                .until(() -> owned(Service.class, ns, "sink") != null
                        && "INFO"
                                .equals(owned(ConfigMap.class, ns, "sink-config")
                                        .getData()
                                        .get("LOG_LEVEL")));

        // queue attribute drift is put back by the periodic pass
        String url = get(client, ns, "sink").getStatus().queueUrl;
        elasticMq.sqs.setQueueAttributes(
                r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "999")));
        eventually().until(() -> "30".equals(queueAttributes(url).get(QueueAttributeName.VISIBILITY_TIMEOUT)));
        assertThat(registry.counter("eventsink_operator_queue_drift_repaired_total")
                        .count())
                .isPositive();
    }

    @Test
    void deletePolicyDeletesTheQueueAndRetainKeepsIt() {
        String ns = "deletion";
        create(eventSink(ns, "gone", elasticMq.endpoint(), s -> s.queue.deletionPolicy = DeletionPolicy.DELETE));
        create(eventSink(ns, "kept", elasticMq.endpoint(), s -> s.queue.deletionPolicy = DeletionPolicy.RETAIN));
        eventually()
                .until(() -> isTrue(client, ns, "gone", Conditions.QUEUE_READY)
                        && isTrue(client, ns, "kept", Conditions.QUEUE_READY));
        eventually()
                .until(() -> get(client, ns, "gone")
                        .getMetadata()
                        .getFinalizers()
                        .contains(EventSinkReconciler.QUEUE_FINALIZER));
        assertThat(get(client, ns, "kept").getMetadata().getFinalizers()).isEmpty();
        assertThat(queueExists("es-deletion-gone")).isTrue();

        client.resources(EventSink.class).inNamespace(ns).withName("gone").delete();
        client.resources(EventSink.class).inNamespace(ns).withName("kept").delete();

        eventually().until(() -> get(client, ns, "gone") == null && get(client, ns, "kept") == null);
        assertThat(queueExists("es-deletion-gone")).isFalse();
        assertThat(queueExists("es-deletion-gone-dlq")).isFalse();
        assertThat(queueExists("es-deletion-kept")).isTrue();
        assertThat(queueExists("es-deletion-kept-dlq")).isTrue();
    }

    @Test
    void invalidSpecGetsAConditionAndNoObjects() {
        String ns = "invalid";
        create(eventSink(ns, "bad", elasticMq.endpoint(), s -> {
            s.queue.encryption = new EncryptionSpec();
            s.queue.encryption.type = EncryptionType.KMS;
        }));
        eventually().until(() -> condition(client, ns, "bad", Conditions.READY) != null);
        Condition ready = condition(client, ns, "bad", Conditions.READY);
        assertThat(ready.status).isEqualTo("False");
        assertThat(ready.reason).isEqualTo("InvalidSpec");
        assertThat(ready.message).contains("queue.encryption.kmsKeyId is required when queue.encryption.type is KMS");
        assertThat(condition(client, ns, "bad", Conditions.DEGRADED).isTrue()).isTrue();
        assertThat(owned(Deployment.class, ns, "bad")).isNull();
        assertThat(queueExists("es-invalid-bad"))
                .as("nothing is created for an invalid spec")
                .isFalse();
        eventually()
                .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                        .map(Event::getReason)
                        .anyMatch("InvalidSpec"::equals));

        // fixing the spec recovers
        client.resources(EventSink.class).inNamespace(ns).withName("bad").edit(es -> {
            es.getSpec().queue.encryption.type = EncryptionType.SQS;
            return es;
        });
        eventually()
                .until(() -> owned(Deployment.class, ns, "bad") != null
                        && isTrue(client, ns, "bad", Conditions.QUEUE_READY)
                        && !condition(client, ns, "bad", Conditions.DEGRADED).isTrue());
    }

    @Test
    void sqsUnavailableIsReportedRetriedWithBackoffAndRecovers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String ns = "nosqs";
        create(eventSink(ns, "sink", "http://127.0.0.1:" + port, s -> {}));
        eventually().until(() -> {
            Condition q = condition(client, ns, "sink", Conditions.QUEUE_READY);
            return q != null && "False".equals(q.status) && "SqsUnavailable".equals(q.reason);
        });
        assertThat(condition(client, ns, "sink", Conditions.READY).reason).isEqualTo("SqsUnavailable");
        assertThat(owned(Deployment.class, ns, "sink"))
                .as("no Deployment without a queue URL")
                .isNull();

        // backoff, not a hot loop: 1 s, 1 s, 2 s, 4 s ... between attempts
        var failures = registry.counter("eventsink_operator_queue_errors_total", "reason", "SqsUnavailable");
        double start = failures.count();
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> failures.count() - start <= 3);

        ElasticMq late = ElasticMq.start(port); // SQS comes back on the same address
        try {
            eventually().atMost(Duration.ofSeconds(45)).until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY));
            assertThat(owned(Deployment.class, ns, "sink")).isNotNull();
            assertThat(late.sqs.getQueueUrl(r -> r.queueName("es-nosqs-sink")).queueUrl())
                    .isNotBlank();
            client.resources(EventSink.class).inNamespace(ns).withName("sink").delete();
            eventually().until(() -> get(client, ns, "sink") == null);
        } finally {
            late.close();
        }
    }

    @Test
    void existingQueueIsVerifiedAndNeverOwned() {
        String ns = "existing";
        String url = elasticMq.sqs.createQueue(r -> r.queueName("team-owned")).queueUrl();
        create(eventSink(ns, "sink", elasticMq.endpoint(), s -> {
            s.queue.existingUrl = url;
        }));
        create(eventSink(ns, "missing", elasticMq.endpoint(), s -> s.queue.existingUrl = url + "-nope"));

        eventually().until(() -> isTrue(client, ns, "sink", Conditions.QUEUE_READY));
        EventSink es = get(client, ns, "sink");
        assertThat(es.getStatus().queueManaged).isFalse();
        assertThat(es.getStatus().queueUrl).isEqualTo(url);
        assertThat(es.getMetadata().getFinalizers()).isEmpty();
        eventually().until(() -> owned(Deployment.class, ns, "sink") != null);
        assertThat(owned(Deployment.class, ns, "sink")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .contains(new EnvVar("SQS_QUEUE_URL", url, null));

        eventually().until(() -> {
            Condition q = condition(client, ns, "missing", Conditions.QUEUE_READY);
            return q != null && "QueueNotFound".equals(q.reason);
        });

        // a queue with the derived name that someone else owns is not adopted
        elasticMq.sqs.createQueue(r -> r.queueName("es-existing-squatted").tags(Map.of("eventsink.io/owner", "x/y")));
        create(eventSink(ns, "squatted", elasticMq.endpoint(), s -> {}));
        eventually().until(() -> {
            Condition q = condition(client, ns, "squatted", Conditions.QUEUE_READY);
            return q != null && "QueueNameConflict".equals(q.reason);
        });
        assertThat(elasticMq
                        .sqs
                        .listQueueTags(r -> r.queueUrl(elasticMq
                                .sqs
                                .getQueueUrl(q -> q.queueName("es-existing-squatted"))
                                .queueUrl()))
                        .tags())
                .as("the foreign queue is left untouched")
                .containsEntry("eventsink.io/owner", "x/y");
        assertThat(queueExists("es-existing-squatted-dlq"))
                .as("no dead-letter queue is created for a main queue we cannot have")
                .isFalse();
    }

    @Test
    void ingressAndFixedReplicasFollowTheSpec() {
        String ns = "options";
        create(eventSink(ns, "web", elasticMq.endpoint(), s -> {
            s.autoscaling = new AutoscalingSpec();
            s.autoscaling.enabled = false;
            s.replicas = 3;
            s.ingress = new IngressSpec();
            s.ingress.enabled = true;
            s.ingress.host = "events.example.com";
            s.ingress.tlsSecretName = "events-tls";
            s.serviceAccount = new ServiceAccountSpec();
            s.serviceAccount.iamRoleArn = "arn:aws:iam::123456789012:role/eventsink";
        }));
        eventually().until(() -> owned(Ingress.class, ns, "web") != null && owned(Deployment.class, ns, "web") != null);
        assertThat(owned(Deployment.class, ns, "web").getSpec().getReplicas()).isEqualTo(3);
        assertThat(owned(HorizontalPodAutoscaler.class, ns, "web")).isNull();
        assertThat(owned(ServiceAccount.class, ns, "web").getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/eventsink");
        assertThat(owned(Ingress.class, ns, "web").getSpec().getTls().get(0).getSecretName())
                .isEqualTo("events-tls");
        assertThat(owned(Deployment.class, ns, "web").getMetadata().getAnnotations())
                .containsKey(OwnedDependent.DESIRED_HASH_ANNOTATION);

        // turning autoscaling on creates the HPA; removing the ingress deletes it; an existing service account
        // replaces the one the operator made
        client.resources(EventSink.class).inNamespace(ns).withName("web").edit(es -> {
            es.getSpec().autoscaling.enabled = true;
            es.getSpec().ingress = null;
            es.getSpec().serviceAccount.iamRoleArn = null;
            es.getSpec().serviceAccount.name = "team-sa";
            return es;
        });
        eventually()
                .until(() -> owned(HorizontalPodAutoscaler.class, ns, "web") != null
                        && owned(Ingress.class, ns, "web") == null
                        && owned(ServiceAccount.class, ns, "web") == null);
        eventually()
                .until(() -> "team-sa"
                        .equals(owned(Deployment.class, ns, "web")
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getServiceAccountName()));
    }
}
