package io.eventsink.service.http;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.DeliveryException;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.IngestMetrics.RejectReason;
import io.eventsink.service.http.connection.ConnectionGuard;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The public API: {@code POST /} takes one EPAS event, {@code OPTIONS /} answers CORS
 * preflights, anything else is 404/405. Handlers run on virtual threads, so waiting for the
 * queue to confirm an event (group commit) costs no platform thread.
 */
public final class EventRoutes implements HttpService {

    static final Header NOSNIFF = HeaderValues.create(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
    private static final Header ALLOW = HeaderValues.create(HeaderNames.ALLOW, "POST, OPTIONS");
    private static final String INVALID = "Invalid player event";
    private static final byte[] NOT_FOUND = JsonBodies.message("Not found: send events with POST /");
    private static final byte[] OVERLOADED = JsonBodies.message("Too many requests in progress, retry later");
    private static final int MAX_ORIGIN_ATTRIBUTE = 256;
    /** readBody's answer when the body could not be read to its end. */
    private static final byte[] UNREADABLE = new byte[0];

    private final Cors cors;
    private final EventValidator validator;
    private final DeliveryPipeline pipeline;
    private final IngestMetrics metrics;
    private final int maxBodyBytes;
    private final long heartbeatIntervalMs;
    /** Requests wait a little longer than the pipeline's own deadline, which always answers first. */
    private final long waitMs;
    /**
     * Requests being processed, counted only once their body is in: a client that stalls its body
     * holds a connection (bounded by the body deadline), never a slot that ready requests need.
     */
    private final Semaphore inProgress;

    public EventRoutes(Settings settings, DeliveryPipeline pipeline, IngestMetrics metrics) {
        this.cors = new Cors(settings.corsAllowedOrigins());
        this.validator = new EventValidator(settings.maxJsonDepth());
        this.pipeline = pipeline;
        this.metrics = metrics;
        // One event is a whole body here, so the smaller of the two limits applies.
        this.maxBodyBytes = Math.min(settings.maxEventBytes(), settings.maxBodyBytes());
        this.heartbeatIntervalMs = settings.heartbeatIntervalMs();
        this.waitMs = settings.deliveryTimeout().toMillis() + 2000;
        this.inProgress = new Semaphore(settings.maxConcurrentRequests());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::post)
                .options("/", this::preflight)
                .any("/", this::methodNotAllowed)
                .any(this::notFound);
    }

    private void post(ServerRequest req, ServerResponse res) {
        long receivedAt = System.currentTimeMillis();
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        cors.apply(origin, res);
        if (!cors.permits(origin)) {
            refuse(
                    res,
                    Status.FORBIDDEN_403,
                    RejectReason.ORIGIN_FORBIDDEN,
                    null,
                    "Origin not allowed",
                    List.of("origin: not in the allowed origins of this sink"));
            return;
        }
        byte[] body = readBody(req);
        ConnectionGuard.bodyReceived();
        if (body != UNREADABLE && body != null && !inProgress.tryAcquire()) {
            // Load shedding: refused at once instead of queueing until the client gives up.
            res.header(HeaderValues.CONNECTION_CLOSE);
            res.header(HeaderNames.RETRY_AFTER, "1");
            metrics.rejected(RejectReason.OVERLOADED);
            send(res, Status.SERVICE_UNAVAILABLE_503, OVERLOADED);
            return;
        }
        try {
            process(req, res, receivedAt, origin, body);
        } finally {
            if (body != UNREADABLE && body != null) {
                inProgress.release();
            }
        }
    }

    private void process(ServerRequest req, ServerResponse res, long receivedAt, String origin, byte[] body) {
        if (body == UNREADABLE) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            refuse(
                    res,
                    Status.BAD_REQUEST_400,
                    RejectReason.MALFORMED_BODY,
                    null,
                    INVALID,
                    List.of("body: could not be read to its end (truncated, or broken chunked framing)"));
            return;
        }
        if (body == null) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            refuse(
                    res,
                    Status.REQUEST_ENTITY_TOO_LARGE_413,
                    RejectReason.TOO_LARGE,
                    null,
                    "Event too large",
                    List.of("body: larger than " + maxBodyBytes + " bytes"));
            return;
        }
        ValidationResult result = validator.validate(body);
        if (!result.valid()) {
            boolean malformed = result.errors().getFirst().startsWith("body:");
            refuse(
                    res,
                    Status.BAD_REQUEST_400,
                    malformed ? RejectReason.MALFORMED_BODY : RejectReason.INVALID_EVENT,
                    result.sessionId(),
                    INVALID,
                    result.errors());
            return;
        }
        QueuedEvent event = new QueuedEvent(
                result.json(),
                result.type().wireName(),
                result.timestampText(),
                receivedAt,
                originAttribute(origin),
                null,
                null,
                body.length);
        CompletableFuture<Void> stored = pipeline.submit(event);
        try {
            stored.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            notStored(
                    res,
                    result.sessionId(),
                    e.getCause() instanceof DeliveryException d
                            ? d
                            : new DeliveryException(DeliveryException.Reason.UNAVAILABLE, "delivery failed"));
            return;
        } catch (TimeoutException e) {
            notStored(
                    res,
                    result.sessionId(),
                    new DeliveryException(DeliveryException.Reason.TIMEOUT, "not delivered in time"));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notStored(
                    res,
                    result.sessionId(),
                    new DeliveryException(DeliveryException.Reason.SHUTTING_DOWN, "shutting down"));
            return;
        }
        metrics.accepted(result.type());
        byte[] answer = switch (result.type()) {
            case INIT -> JsonBodies.initAccepted(result.sessionId(), heartbeatIntervalMs);
            default -> JsonBodies.accepted(result.sessionId());
        };
        send(res, Status.OK_200, answer);
    }

    /**
     * The body; null when it is larger than the limit (then the rest is not read); UNREADABLE
     * when the client's framing broke off.
     */
    private byte[] readBody(ServerRequest req) {
        if (req.headers().contentLength().orElse(0) > maxBodyBytes) {
            return null;
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            return body.length > maxBodyBytes ? null : body;
        } catch (RequestException e) {
            // Helidon enforces the payload limit on chunked bodies while we read them.
            return e.status() == Status.REQUEST_ENTITY_TOO_LARGE_413 ? null : UNREADABLE;
        } catch (IOException | RuntimeException e) {
            // The client's framing is broken or it stopped sending (a body shorter than its
            // Content-Length, a bad or missing chunk): its mistake, answered 400, not a 500.
            return UNREADABLE;
        }
    }

    private void notStored(ServerResponse res, String sessionId, DeliveryException e) {
        Status status = Status.SERVICE_UNAVAILABLE_503;
        RejectReason reason;
        String retryAfter;
        switch (e.reason()) {
            case BACKPRESSURE -> {
                reason = RejectReason.BACKPRESSURE;
                retryAfter = "1";
            }
            case TIMEOUT -> {
                reason = RejectReason.TIMEOUT;
                retryAfter = "2";
            }
            case SHUTTING_DOWN -> {
                reason = RejectReason.SHUTTING_DOWN;
                retryAfter = "1";
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            case REJECTED -> {
                // The event passed our checks but the queue refuses it: nothing a retry fixes.
                refuse(
                        res,
                        Status.BAD_REQUEST_400,
                        RejectReason.QUEUE_REFUSED,
                        sessionId,
                        INVALID,
                        List.of("body: the queue refused this message"));
                return;
            }
            default -> {
                reason = RejectReason.UNAVAILABLE;
                retryAfter = "5";
            }
        }
        res.header(HeaderNames.RETRY_AFTER, retryAfter);
        metrics.rejected(reason);
        send(res, status, JsonBodies.notStored(sessionId, "Event not stored, retry later", e.getMessage()));
    }

    private void refuse(
            ServerResponse res,
            Status status,
            RejectReason reason,
            String sessionId,
            String message,
            List<String> errors) {
        metrics.rejected(reason);
        send(res, status, JsonBodies.refused(sessionId, message, errors));
    }

    private void preflight(ServerRequest req, ServerResponse res) {
        cors.apply(req.headers().first(HeaderNames.ORIGIN).orElse(null), res);
        res.header(Cors.MAX_AGE);
        res.header(NOSNIFF);
        res.status(Status.OK_200);
        res.send();
    }

    private void methodNotAllowed(ServerRequest req, ServerResponse res) {
        res.header(ALLOW);
        send(
                res,
                Status.METHOD_NOT_ALLOWED_405,
                JsonBodies.message("Method not allowed: use POST / for events, OPTIONS / for CORS"));
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        send(res, Status.NOT_FOUND_404, NOT_FOUND);
    }

    static void send(ServerResponse res, Status status, byte[] json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(NOSNIFF);
        res.header(NO_STORE);
        res.send(json);
    }

    /** The Origin header as an extra message attribute, when it is short printable ASCII. */
    private static String originAttribute(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > MAX_ORIGIN_ATTRIBUTE) {
            return null;
        }
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return null;
            }
        }
        return origin;
    }
}
