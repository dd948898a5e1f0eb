package io.eventsink.operator;

import io.eventsink.operator.dependent.SqsQueueDependent;
import io.eventsink.operator.sqs.SqsClients;
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

    public EventSinkOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this.sqs = new SqsClients(settings.awsRegion(), registry);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        OperatorSettings.LEASE_NAME,
                        settings.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        settings.identity(),
                        null,
                        settings.exitOnLostLeadership()));
            }
        });
        var reconciler = new EventSinkReconciler(
                new SqsQueueDependent(sqs, registry),
                new EventRecorder(client, Clock.systemUTC(), settings.identity()),
                Clock.systemUTC(),
                settings.resync());
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

    public Operator operator() {
        return operator;
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
