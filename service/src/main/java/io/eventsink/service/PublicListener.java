package io.eventsink.service;

import io.eventsink.service.delivery.BatchWriter;
import io.eventsink.service.delivery.DeliveryMetrics;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.delivery.format.MessageFormat;
import io.eventsink.service.delivery.sqs.SqsWriter;
import io.eventsink.service.http.EventRoutes;
import io.eventsink.service.http.TransportErrors;
import io.eventsink.service.http.connection.ConnectionGuard;
import io.eventsink.service.http.connection.ConnectionMetrics;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.metrics.Meters;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * The public port's request path — the connection guard, the routes, the delivery pipeline and their
 * meters — built one way for the pod's own listener and for the warm-up's, so the warm-up runs the very
 * code the pod will serve with.
 */
final class PublicListener implements AutoCloseable {

    private final Settings settings;
    private final DeliveryPipeline pipeline;
    private final IngestMetrics metrics;
    private final ConnectionGuard guard;

    private PublicListener(Settings settings, DeliveryPipeline pipeline, IngestMetrics metrics, ConnectionGuard guard) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.guard = guard;
    }

    static PublicListener create(Settings settings, BatchWriter writer, Meters registry) {
        DeliveryPipeline pipeline = new DeliveryPipeline(
                writer,
                // stdout writes one event per line whatever the queue's format
                writer instanceof SqsWriter ? settings.messageFormat() : MessageFormat.EVENT,
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
        return new PublicListener(settings, pipeline, metrics, guard);
    }

    DeliveryPipeline pipeline() {
        return pipeline;
    }

    /** The server's default socket as the public port: bound to {@code host:port}, guarded, routed. */
    WebServerConfig.Builder configure(WebServerConfig.Builder server, String host, int port) {
        return server.host(host)
                .port(port)
                .maxPayloadSize(settings.maxBodyBytes())
                // gzip and deflate request bodies are decoded (never answers); the body reader bounds the result
                .contentEncoding(TransportErrors.requestDecoding())
                // Our selector is the public port's only protocol: HTTP/1 (1.0 and 1.1) with deadlines and a
                // connection cap.
                .protocolsDiscoverServices(false)
                // Blocking sockets on virtual threads keep one socket buffer per connection instead of two:
                // less heap per held connection at the same throughput (measured, bench/README.md).
                .useNio(false)
                .addConnectionSelector(guard.selector())
                // A backstop only: the guard refuses connections over MAX_CONNECTIONS itself, with an answer.
                .maxTcpConnections(settings.maxConnections() + 1024)
                // In-flight requests are waiting for the queue: give them time to get their answer.
                .shutdownGracePeriod(settings.deliveryTimeout().plusSeconds(3))
                .directHandlers(TransportErrors.handlers(settings.maxBodyBytes(), metrics))
                .routing(r -> routing(r, settings, pipeline, metrics));
    }

    /** The public routes; also what tests exercise over real HTTP. */
    static void routing(
            HttpRouting.Builder routing, Settings settings, DeliveryPipeline pipeline, IngestMetrics metrics) {
        routing.addFilter(metrics.requestTimer()).register("/", new EventRoutes(settings, pipeline, metrics));
    }

    /** Stops the guard's watchdog; the pipeline is drained (or closed) by its owner. */
    @Override
    public void close() {
        guard.close();
    }
}
