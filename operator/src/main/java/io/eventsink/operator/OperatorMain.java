package io.eventsink.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of eventsink-operator.jar. */
public final class OperatorMain {
    private OperatorMain() {}

    public static void main(String[] args) throws Exception {
        OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
        // slf4j-simple reads this once, before the first logger is created
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel", settings.logLevel().toLowerCase());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

        Logger log = LoggerFactory.getLogger(OperatorMain.class); // after the level is set
        PrometheusMeterRegistry registry = newRegistry();

        var client = new KubernetesClientBuilder().build();
        var operator = new EventSinkOperator(client, settings, registry, true);
        AtomicBoolean live = new AtomicBoolean(true);
        var management =
                new ManagementServer(settings.managementPort(), live::get, operator::isReady, registry).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            live.set(false);
                            operator.close();
                            management.close();
                            client.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            // e.g. the CRD is not installed or the API server is unreachable: let Kubernetes restart us
            log.error("Operator failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
        stopped.await();
    }

    /**
     * The registry /metrics serves: JVM and process metrics, and latency histograms for the Operator SDK's
     * reconcile timer (the dashboard's quantiles need its buckets).
     */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().startsWith("operator.sdk.controllers.execution")
                        ? DistributionStatisticConfig.builder()
                                .percentilesHistogram(true)
                                .build()
                                .merge(config)
                        : config;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }
}
