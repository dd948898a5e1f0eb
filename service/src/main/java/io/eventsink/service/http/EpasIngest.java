package io.eventsink.service.http;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventBatches;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.EventRoutes.Posted;
import io.eventsink.service.http.Ingest.NotStored;
import io.eventsink.service.http.Ingest.Outcome;
import io.eventsink.service.http.JsonBodies.BatchResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /}: one EPAS event (a JSON object: the contract of Eyevinn's
 * player-analytics-eventsink, byte for byte), or a batch — a JSON array, or NDJSON
 * ({@code application/x-ndjson}) — of at most MAX_BATCH_EVENTS, each validated on its own.
 */
final class EpasIngest implements EventRoutes.BodyHandler {

    private static final String INVALID = "Invalid player event";

    private final EventValidator validator;
    private final Ingest ingest;
    private final IngestMetrics metrics;
    /** One event may be no larger than one SQS message holds, nor than a whole body may be. */
    private final int maxEventBytes;

    private final int maxBatchEvents;
    private final long heartbeatIntervalMs;

    EpasIngest(Settings settings, Ingest ingest, IngestMetrics metrics) {
        this.validator = new EventValidator(settings.maxJsonDepth(), settings.shardIdPattern());
        this.ingest = ingest;
        this.metrics = metrics;
        this.maxEventBytes = Math.min(settings.maxEventBytes(), settings.maxBodyBytes());
        this.maxBatchEvents = settings.maxBatchEvents();
        this.heartbeatIntervalMs = settings.heartbeatIntervalMs();
    }

    @Override
    public void handle(Posted p) {
        if (ndjson(p)) {
            batch(p, EventBatches.ndjson(p.body(), maxBatchEvents));
        } else if (EventBatches.firstNonBlank(p.body()) == '[') {
            batch(p, EventBatches.array(p.body(), maxBatchEvents));
        } else {
            single(p);
        }
    }

    @Override
    public void refuse(ServerResponse res, Rejection rejection, String error) {
        EventRoutes.rejectionHeaders(res, rejection);
        if (rejection.retryable()) {
            EventRoutes.send(res, rejection.status(), JsonBodies.message(error));
            return;
        }
        String message = switch (rejection) {
            case TOO_LARGE -> "Event too large";
            case ORIGIN_FORBIDDEN -> "Origin not allowed";
            default -> INVALID;
        };
        EventRoutes.send(res, rejection.status(), JsonBodies.refused(null, message, List.of(error)));
    }

    private static boolean ndjson(Posted p) {
        String type = p.req()
                .headers()
                .contentType()
                .map(t -> t.mediaType().text().toLowerCase(Locale.ROOT))
                .orElse("");
        return type.equals("application/x-ndjson")
                || type.equals("application/ndjson")
                || type.equals("application/jsonl");
    }

    /** One JSON object: today's contract, byte for byte. */
    private void single(Posted p) {
        ServerResponse res = p.res();
        if (p.body().length > maxEventBytes) {
            metrics.rejected(Rejection.TOO_LARGE);
            refuse(res, Rejection.TOO_LARGE, "body: larger than " + maxEventBytes + " bytes");
            return;
        }
        ValidationResult result = validator.validate(p.body());
        if (!result.valid()) {
            Rejection why = result.kind() == ValidationResult.Kind.MALFORMED
                    ? Rejection.MALFORMED_BODY
                    : Rejection.INVALID_EVENT;
            metrics.rejected(why);
            EventRoutes.send(
                    res, Status.BAD_REQUEST_400, JsonBodies.refused(result.sessionId(), INVALID, result.errors()));
            return;
        }
        Outcome outcome = ingest.store(List.of(queued(result, p, p.body().length)), List.of(result.type()))
                .getFirst();
        if (outcome instanceof NotStored n) {
            EventRoutes.rejectionHeaders(res, n.rejection());
            if (n.rejection() == Rejection.QUEUE_REFUSED) {
                EventRoutes.send(
                        res,
                        Status.BAD_REQUEST_400,
                        JsonBodies.refused(
                                result.sessionId(), INVALID, List.of("body: the queue refused this message")));
            } else {
                EventRoutes.send(
                        res,
                        n.rejection().status(),
                        JsonBodies.notStored(result.sessionId(), "Event not stored, retry later", n.reason()));
            }
            return;
        }
        byte[] answer = result.type() == EventType.INIT
                ? JsonBodies.initAccepted(result.sessionId(), heartbeatIntervalMs)
                : JsonBodies.accepted(result.sessionId());
        EventRoutes.send(res, Status.OK_200, answer);
    }

    /**
     * A batch: every event validated on its own, the valid ones stored together. 200 when each
     * event was stored or is invalid (resending cannot help those); 503 + Retry-After when a valid
     * one was not stored — the answer lists which, so only those are sent again.
     */
    private void batch(Posted p, EventBatches.Split split) {
        ServerResponse res = p.res();
        switch (split) {
            case EventBatches.NotABatch notABatch -> {
                metrics.rejected(Rejection.MALFORMED_BODY);
                EventRoutes.send(
                        res,
                        Status.BAD_REQUEST_400,
                        JsonBodies.refused(null, "Invalid batch", List.of(notABatch.reason())));
            }
            case EventBatches.TooMany tooMany -> {
                metrics.rejected(Rejection.TOO_LARGE);
                EventRoutes.rejectionHeaders(res, Rejection.TOO_LARGE);
                EventRoutes.send(
                        res,
                        Status.REQUEST_ENTITY_TOO_LARGE_413,
                        JsonBodies.refused(
                                null,
                                "Batch too large",
                                List.of("body: more than " + tooMany.limit() + " events (MAX_BATCH_EVENTS)")));
            }
            case EventBatches.Events events -> storeBatch(p, events.events());
        }
    }

    private void storeBatch(Posted p, List<byte[]> events) {
        BatchResult[] results = new BatchResult[events.size()];
        List<QueuedEvent> valid = new ArrayList<>();
        List<EventType> types = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            byte[] bytes = events.get(i);
            if (bytes.length > maxEventBytes) {
                metrics.rejected(Rejection.TOO_LARGE);
                results[i] = new BatchResult(
                        null, "invalid", List.of("event: larger than " + maxEventBytes + " bytes"), null);
                continue;
            }
            ValidationResult r = validator.validate(bytes);
            if (!r.valid()) {
                metrics.rejected(
                        r.kind() == ValidationResult.Kind.MALFORMED
                                ? Rejection.MALFORMED_BODY
                                : Rejection.INVALID_EVENT);
                results[i] = new BatchResult(r.sessionId(), "invalid", r.errors(), null);
                continue;
            }
            results[i] = new BatchResult(r.sessionId(), "stored", null, null);
            valid.add(queued(r, p, bytes.length));
            types.add(r.type());
            positions.add(i);
        }
        List<Outcome> outcomes = ingest.store(valid, types);
        List<Rejection> retryable = new ArrayList<>();
        boolean initStored = false;
        for (int k = 0; k < outcomes.size(); k++) {
            initStored |= outcomes.get(k) instanceof Ingest.Stored && types.get(k) == EventType.INIT;
            if (outcomes.get(k) instanceof NotStored n) {
                int i = positions.get(k);
                if (n.rejection().retryable()) {
                    retryable.add(n.rejection());
                    results[i] = new BatchResult(results[i].sessionId(), "not_stored", null, n.reason());
                } else {
                    results[i] = new BatchResult(
                            results[i].sessionId(), "invalid", List.of("body: the queue refused this message"), null);
                }
            }
        }
        ServerResponse res = p.res();
        Long heartbeat = initStored ? heartbeatIntervalMs : null;
        if (retryable.isEmpty()) {
            EventRoutes.send(res, Status.OK_200, JsonBodies.batch(List.of(results), heartbeat));
            return;
        }
        // the longest wait any of them asks for
        Rejection worst = retryable.stream()
                .max(Comparator.comparingInt(r -> Integer.parseInt(r.retryAfter())))
                .orElseThrow();
        res.header(HeaderNames.RETRY_AFTER, worst.retryAfter());
        EventRoutes.send(res, Status.SERVICE_UNAVAILABLE_503, JsonBodies.batch(List.of(results), heartbeat));
    }

    private static QueuedEvent queued(ValidationResult r, Posted p, int bytes) {
        return new QueuedEvent(
                r.json(),
                r.type().wireName(),
                r.timestampText(),
                p.receivedAtMs(),
                p.origin(),
                r.shardId(),
                null,
                bytes);
    }
}
