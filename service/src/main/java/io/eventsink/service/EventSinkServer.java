package io.eventsink.service;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.delivery.StdoutBatchWriter;
import io.eventsink.service.delivery.sqs.SqsAddress;
import io.eventsink.service.delivery.sqs.SqsWriter;
import io.eventsink.service.http.ClientErrorLogFilter;
import io.eventsink.service.http.connection.Http1Selector;
import io.eventsink.service.metrics.Meters;
import io.eventsink.service.observe.SinkHealth;
import io.eventsink.service.warmup.Warmup;
import io.eventsink.service.warmup.WarmupProgress;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One running EventSink: the public listener, the management listener (health, metrics) and
 * the delivery pipeline, with the shutdown order that keeps every acknowledged event.
 */
public final class EventSinkServer {

    private static final System.Logger LOG = System.getLogger(EventSinkServer.class.getName());
    private static final String MANAGEMENT = "management";

    private final Settings settings;
    private final WebServer server;
    private final DeliveryPipeline pipeline;
    private final SinkHealth health;
    private final Runnable unregisterMeters;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EventSinkServer(
            Settings settings,
            WebServer server,
            DeliveryPipeline pipeline,
            SinkHealth health,
            Runnable unregisterMeters) {
        this.unregisterMeters = unregisterMeters;
        this.settings = settings;
        this.server = server;
        this.pipeline = pipeline;
        this.health = health;
    }

    /** Starts with the writer the settings ask for (SQS or stdout). */
    public static EventSinkServer start(Settings settings) {
        return start(settings, writerFor(settings));
    }

    /** Starts with a given writer; the server closes it on shutdown. */
    public static EventSinkServer start(Settings settings, BatchWriter writer) {
        ClientErrorLogFilter.install();
        // Helidon keeps one registry per JVM; counters are cumulative across servers in one JVM (tests).
        MeterRegistry registry = Metrics.globalRegistry();
        PublicListener listener = PublicListener.create(settings, writer, Meters.of(registry));
        DeliveryPipeline pipeline = listener.pipeline();
        WarmupProgress warmup = new WarmupProgress(registry);
        SinkHealth readiness = new SinkHealth(pipeline, warmup);
        Gauge<Integer> ready = registry.getOrCreate(Gauge.builder("eventsink.ready", () -> readiness.up() ? 1 : 0)
                .description("1 while the pod is ready for traffic (what /health/ready says), else 0"));
        Runnable release = () -> {
            listener.close();
            warmup.close();
            registry.remove(ready);
        };
        WebServer server = listener.configure(
                        WebServer.builder().featuresDiscoverServices(false).shutdownHook(false),
                        settings.host(),
                        settings.port())
                // HTTP/1 with HTTP/1.0 too (HAProxy's health checks send 1.0), as on the public port
                .putSocket(
                        MANAGEMENT,
                        s -> s.host(settings.host())
                                .port(settings.managementPort())
                                .protocolsDiscoverServices(false)
                                .addConnectionSelector(Http1Selector.management()))
                .addFeature(observe(registry, readiness, warmup))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            pipeline.close();
            release.run();
            throw e;
        }
        LOG.log(
                Level.INFO,
                "EventSink listening on " + settings.host() + ":" + server.port() + ", management on :"
                        + server.port(MANAGEMENT) + ", delivering to " + writer.describe()
                        + (writer instanceof SqsWriter
                                ? " in the " + settings.messageFormat().describe() + " format"
                                : ""));
        // Only the SQS path is worth warming: the stand-in speaks SQS, and stdout is for development.
        if (settings.warmupEnabled() && writer instanceof SqsWriter) {
            Warmup.inBackground(warmupTarget(settings), settings.warmupTimeout(), warmup);
        } else {
            warmup.off();
        }
        return new EventSinkServer(settings, server, pipeline, readiness, release);
    }

    /** The warm-up's own listener: the public one's request path on loopback, writing to the stand-in. */
    private static Warmup.TargetFactory warmupTarget(Settings settings) {
        return writer -> {
            PublicListener listener = PublicListener.create(settings, writer, Meters.discarding());
            WebServer server = listener.configure(
                            WebServer.builder().featuresDiscoverServices(false).shutdownHook(false), "127.0.0.1", 0)
                    .build();
            server.start();
            return new Warmup.Target() {
                @Override
                public int port() {
                    return server.port();
                }

                @Override
                public void close() {
                    server.stop();
                    listener.pipeline().close();
                    listener.close();
                }
            };
        };
    }

    /** Health and metrics, on the management port only. */
    private static ObserveFeature observe(MeterRegistry registry, SinkHealth readiness, WarmupProgress warmup) {
        return ObserveFeature.builder()
                .sockets(List.of(MANAGEMENT))
                .endpoint("/")
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(readiness)
                        .addCheck(
                                () -> {
                                    HealthCheckResponse.Builder started =
                                            HealthCheckResponse.builder().status(warmup.ended());
                                    warmup.describe(started);
                                    return started.build();
                                },
                                HealthCheckType.STARTUP,
                                "warmup")
                        .addCheck(
                                () -> HealthCheckResponse.builder().status(true).build(),
                                HealthCheckType.LIVENESS,
                                "alive")
                        .build())
                .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                .build();
    }

    static BatchWriter writerFor(Settings settings) {
        return switch (settings.queueType()) {
            case STDOUT -> {
                if (settings.sqsQueueUrl().isEmpty()) {
                    LOG.log(
                            Level.WARNING,
                            "No SQS_QUEUE_URL set: writing events to standard output "
                                    + "(set QUEUE_TYPE=stdout to make this explicit)");
                }
                yield new StdoutBatchWriter();
            }
            case SQS -> {
                SqsAddress address =
                        SqsAddress.of(settings.sqsQueueUrl().orElseThrow(), settings.sqsEndpoint(), settings.region());
                yield SqsWriter.create(address, settings.maxInflightBatches());
            }
        };
    }

    public int port() {
        return server.port();
    }

    public int managementPort() {
        return server.port(MANAGEMENT);
    }

    public boolean running() {
        return server.isRunning();
    }

    /**
     * Graceful stop, in the order that loses nothing: readiness DOWN, keep serving for the
     * configured delay (so load balancers stop sending), stop the listener (in-flight requests
     * finish), deliver everything pending, close the queue client. Safe to call twice.
     */
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.INFO, "Shutting down: readiness DOWN, " + pipeline.pending() + " events pending");
        health.shuttingDown();
        Duration delay = settings.shutdownDelay();
        if (!delay.isZero()) {
            LockSupport.parkNanos(delay.toNanos());
        }
        server.stop();
        int left = pipeline.drain(settings.shutdownTimeout());
        if (left > 0) {
            LOG.log(
                    Level.WARNING,
                    left + " events were not delivered before the shutdown timeout; "
                            + "their requests were not acknowledged");
        }
        unregisterMeters.run();
        LOG.log(Level.INFO, "EventSink stopped");
    }
}
