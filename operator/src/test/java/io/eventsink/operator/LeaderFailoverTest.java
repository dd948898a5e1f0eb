package io.eventsink.operator;

import static io.eventsink.operator.TestSupport.eventSink;
import static io.eventsink.operator.TestSupport.get;
import static io.eventsink.operator.TestSupport.isTrue;
import static io.eventsink.operator.TestSupport.markDeploymentAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventsink.operator.crd.EventSink;
import io.eventsink.operator.crd.spec.AutoscalingSpec;
import io.eventsink.operator.model.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes (separate JVMs running OperatorMain, as two replicas of the chart's Deployment) against one
 * API server: the leader is killed with SIGKILL, the standby takes the lease once it expires and carries on. Every
 * request the two send is recorded by the mock API server with the sender (each has its own bearer token), which
 * shows that the standby wrote nothing before it held the lease, and the dead leader nothing after its death: no
 * EventSink was reconciled by both at once.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderFailoverTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    static final Duration LEASE = Duration.ofSeconds(6);
    static final String NS = "failover";
    static final String LEASE_PATH = "/apis/coordination.k8s.io/v1/namespaces/operators/leases";

    /** One request to the API server, when it arrived (epoch µs) and from which operator. */
    record Seen(long at, String who, String method, String path) {
        boolean isWrite() {
            return !method.equals("GET");
        }

        boolean isLease() {
            return path.startsWith(LEASE_PATH) || path.contains("selfsubjectrulesreviews");
        }
    }

    @Test
    void theStandbyTakesOverWithinTheLeaseAndNeverReconcilesAlongsideTheLeader() throws Exception {
        TestSupport.installCrd(client);
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .withIncomplete(false)
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("get", "create", "update")
                                .endResourceRule()
                                .endStatus()
                                .build())
                .always();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Thread recorder = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        String auth = r.getHeader("Authorization");
                        String who = auth != null && auth.startsWith("Bearer op-") ? auth.substring(7) : "test";
                        // (the body is not read here: that would take it from the API server)
                        seen.add(new Seen(nowMicros(), who, r.getMethod(), r.getPath()));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        try (ElasticMq sqs = ElasticMq.start(0)) {
            Process a = start("op-a", sqs);
            Process b = null;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> "op-a".equals(holder()));
                b = start("op-b", sqs);
                client.resource(eventSink(NS, "before", sqs.endpoint(), s -> {}))
                        .create();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(NS)
                                        .withName("before")
                                        .get()
                                != null);
                markDeploymentAvailable(client, NS, "before", 2);
                await().atMost(Duration.ofSeconds(30)).until(() -> isTrue(client, NS, "before", Conditions.READY));
                // the standby is up (its informers run) and has written nothing
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> seen.stream()
                                .anyMatch(
                                        s -> s.who().equals("op-b") && s.path().contains("watch")));
                assertThat(seen.stream().filter(s -> s.who().equals("op-b") && s.isWrite() && !s.isLease()))
                        .as("standby writes while op-a leads")
                        .isEmpty();

                a.destroyForcibly(); // SIGKILL: no lease release, nothing graceful
                a.waitFor();
                long killed = nowMicros();
                await().atMost(LEASE.multipliedBy(3))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> "op-b".equals(holder()));
                double takeover = (nowMicros() - killed) / 1e6;

                // the new leader carries on: a new EventSink and a spec change of the old one
                client.resource(eventSink(NS, "after", sqs.endpoint(), s -> {})).create();
                client.resources(EventSink.class)
                        .inNamespace(NS)
                        .withName("before")
                        .edit(es -> {
                            es.getSpec().replicas = 3;
                            es.getSpec().autoscaling = new AutoscalingSpec();
                            es.getSpec().autoscaling.enabled = false;
                            return es;
                        });
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Deployment d = client.apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("before")
                            .get();
                    return d != null && Integer.valueOf(3).equals(d.getSpec().getReplicas());
                });
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.apps()
                                        .deployments()
                                        .inNamespace(NS)
                                        .withName("after")
                                        .get()
                                != null);
                markDeploymentAvailable(client, NS, "after", 2);
                await().atMost(Duration.ofSeconds(30)).until(() -> isTrue(client, NS, "after", Conditions.READY));

                // when op-b acquired the lease, as it wrote it (same machine, same clock)
                var acquired = client.leases()
                        .inNamespace("operators")
                        .withName(OperatorSettings.LEASE_NAME)
                        .get()
                        .getSpec()
                        .getAcquireTime()
                        .toInstant();
                long leaseTakenByB = acquired.getEpochSecond() * 1_000_000L + acquired.getNano() / 1000;
                List<Seen> bWrites = seen.stream()
                        .filter(s -> s.who().equals("op-b") && s.isWrite() && !s.isLease())
                        .toList();
                List<Seen> aWrites = seen.stream()
                        .filter(s -> s.who().equals("op-a") && s.isWrite() && !s.isLease())
                        .toList();
                assertThat(aWrites)
                        .as("the first leader did the first EventSink's work")
                        .isNotEmpty();
                assertThat(bWrites).as("the new leader did the rest").isNotEmpty();
                assertThat(aWrites).allSatisfy(s -> assertThat(s.at()).isLessThan(killed));
                assertThat(bWrites)
                        .as("no write by op-b before it held the lease")
                        .allSatisfy(s -> assertThat(s.at()).isGreaterThan(leaseTakenByB));
                assertThat(takeover)
                        .as("takeover after the kill, within the lease duration plus one retry period")
                        .isLessThan(LEASE.toMillis() / 1000.0 + 2.0);
                assertThat(get(client, NS, "after").getStatus().observedGeneration)
                        .isEqualTo(1L);
                System.out.printf(
                        "LEADER FAILOVER: lease %d s; op-b held the lease %.1f s after op-a was killed; writes by op-a"
                                + " %d (all before the kill), by op-b %d (all after it took the lease)%n",
                        LEASE.toSeconds(), takeover, aWrites.size(), bWrites.size());
            } finally {
                a.destroyForcibly();
                if (b != null) {
                    b.destroyForcibly();
                    b.waitFor();
                }
                recorder.interrupt();
            }
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static String holder() {
        Lease lease = client.leases()
                .inNamespace("operators")
                .withName(OperatorSettings.LEASE_NAME)
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static Process start(String identity, ElasticMq sqs) throws Exception {
        return OperatorProcess.start(
                        client,
                        identity,
                        Map.of(
                                "WATCH_NAMESPACES",
                                NS,
                                "LEADER_ELECTION_NAMESPACE",
                                "operators",
                                "LEADER_ELECTION_LEASE_SECONDS",
                                String.valueOf(LEASE.toSeconds())))
                .process;
    }
}
