package io.eventsink.service;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.DeliveryMetrics;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.delivery.StdoutBatchWriter;
import io.eventsink.service.delivery.sqs.SqsAddress;
import io.eventsink.service.delivery.sqs.SqsWriter;
import io.eventsink.service.http.ClientErrorLogFilter;
import io.eventsink.service.http.EventRoutes;
import io.eventsink.service.http.IngestMetrics;
import io.eventsink.service.http.TransportErrors;
import io.eventsink.service.http.connection.ConnectionGuard;
import io.eventsink.service.http.connection.ConnectionMetrics;
import io.eventsink.service.http.connection.Http1Selector;
import io.eventsink.service.observe.SinkHealth;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
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
        DeliveryPipeline pipeline = new DeliveryPipeline(
                writer,
                new DeliveryMetrics(registry),
                settings.maxPendingEvents(),
                settings.batchLinger(),
                settings.maxInflightBatches(),
                settings.deliveryTimeout());
        IngestMetrics metrics = new IngestMetrics(registry);
        ConnectionGuard guard = new ConnectionGuard(
                settings.requestHeadTimeout(),
                settings.requestBodyTimeout(),
                settings.responseSendTimeout(),
                settings.idleConnectionTimeout(),
                ConnectionGuard.affordableConnections(
                        settings.maxConnections(), Runtime.getRuntime().maxMemory()),
                new ConnectionMetrics(registry, metrics::requestTimedOut));
        SinkHealth readiness = new SinkHealth(pipeline);
        Gauge<Integer> ready = registry.getOrCreate(Gauge.builder("eventsink.ready", () -> readiness.up() ? 1 : 0)
                .description("1 while the pod is ready for traffic (what /health/ready says), else 0"));
        Runnable release = () -> {
            guard.close();
            registry.remove(ready);
        };
        WebServer server = WebServer.builder()
                .featuresDiscoverServices(false)
                .shutdownHook(false)
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(settings.maxBodyBytes())
                // gzip and deflate request bodies are decoded (never answers); the body reader bounds the result
                .contentEncoding(TransportErrors.requestDecoding())
                // Our selector is the public port's only protocol: HTTP/1 (1.0 and 1.1) with deadlines and a connection
                // cap.
                .protocolsDiscoverServices(false)
                // Blocking sockets on virtual threads keep one 8 KiB buffer per connection instead of two:
                // a third less heap per held connection, the same throughput (measured, bench/README.md).
                .useNio(false)
                .addConnectionSelector(guard.selector())
                // A backstop only: the guard refuses connections over MAX_CONNECTIONS itself, with an answer.
                .maxTcpConnections(settings.maxConnections() + 1024)
                // In-flight requests are waiting for the queue: give them time to get their answer.
                .shutdownGracePeriod(settings.deliveryTimeout().plusSeconds(3))
                .directHandlers(TransportErrors.handlers(settings.maxBodyBytes(), metrics))
                .routing(r -> routing(r, settings, pipeline, metrics))
                // HTTP/1 with HTTP/1.0 too (HAProxy's health checks send 1.0), as on the public port
                .putSocket(
                        MANAGEMENT,
                        s -> s.host(settings.host())
                                .port(settings.managementPort())
                                .protocolsDiscoverServices(false)
                                .addConnectionSelector(Http1Selector.management()))
                .addFeature(observe(registry, readiness))
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
                        + server.port(MANAGEMENT) + ", delivering to " + writer.describe());
        return new EventSinkServer(settings, server, pipeline, readiness, release);
    }

    /** Health and metrics, on the management port only. */
    private static ObserveFeature observe(MeterRegistry registry, SinkHealth readiness) {
        return ObserveFeature.builder()
                .sockets(List.of(MANAGEMENT))
                .endpoint("/")
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(readiness)
                        .addCheck(
                                () -> HealthCheckResponse.builder().status(true).build(),
                                HealthCheckType.LIVENESS,
                                "alive")
                        .build())
                .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                .build();
    }

    /** The public routes; also what tests exercise over real HTTP. */
    static void routing(
            HttpRouting.Builder routing, Settings settings, DeliveryPipeline pipeline, IngestMetrics metrics) {
        routing.addFilter(metrics.requestTimer()).register("/", new EventRoutes(settings, pipeline, metrics));
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
