package io.eventsink.operator;

import io.eventsink.operator.dependent.EventSinkWorkflow;
import io.eventsink.operator.dependent.SqsQueueDependent;
import io.eventsink.operator.sqs.SqsClients;
import io.eventsink.operator.sqs.SqsQueues;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * Wires the operator. {@link OperatorMain} and the tests both go through here, so tests run the production
 * configuration (SSA off: the fabric8 mock API server cannot do server-side apply, and neither path may differ).
 */
public final class EventSinkOperator implements AutoCloseable {
    private final Operator operator;
    private final SqsClients sqs;

    /** Embedded in another program (tests): losing the lease stops reconciling but leaves the process alone. */
    public EventSinkOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this(client, settings, registry, false);
    }

    /**
     * @param exitOnLostLeadership the jar's choice: a replica that loses the lease exits at once (no reconcile of
     *     the old leader can overlap the new one's) and Kubernetes restarts it as a standby
     */
    public EventSinkOperator(
            KubernetesClient client, OperatorSettings settings, MeterRegistry registry, boolean exitOnLostLeadership) {
        Clock clock = Clock.systemUTC();
        this.sqs = new SqsClients(settings.awsRegion(), registry);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads())
                    // each reconcile runs its owned objects in parallel on this pool
                    .withConcurrentWorkflowExecutorThreads(settings.reconcileThreads() * 2)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        OperatorSettings.LEASE_NAME,
                        settings.leaseNamespace(),
                        settings.leaseDuration(),
                        settings.renewDeadline(),
                        settings.retryPeriod(),
                        settings.identity(),
                        null,
                        exitOnLostLeadership));
            }
        });
        var queue = new SqsQueueDependent(new SqsQueues(sqs, registry), sqs::defaultRegion, settings.resync(), clock);
        var reconciler = new EventSinkReconciler(
                new EventSinkWorkflow(queue, registry, clock),
                new EventRecorder(client, clock, settings.identity()),
                new ConditionMetrics(registry),
                clock);
        operator.register(reconciler, c -> {
            if (settings.watchNamespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
    }

    public EventSinkOperator start() {
        operator.start();
        return this;
    }

    /** Started, and every informer is watching (a standby replica counts as ready: it holds warm caches). */
    public boolean isReady() {
        try {
            var info = operator.getRuntimeInfo();
            return info.isStarted() && info.allEventSourcesAreHealthy();
        } catch (RuntimeException notStartedYet) {
            return false;
        }
    }

    @Override
    public void close() {
        operator.stop();
        sqs.close();
    }
}
