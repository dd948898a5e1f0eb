package io.eventsink.service.http.epas;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventBatches;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.EventStore;
import io.eventsink.service.http.ingest.EventStore.NotStored;
import io.eventsink.service.http.ingest.EventStore.Outcome;
import io.eventsink.service.http.ingest.IngestHandler;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.JsonBodies;
import io.eventsink.service.http.ingest.MediaTypes;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /}: one EPAS event (a JSON object: the contract of Eyevinn's
 * player-analytics-eventsink, byte for byte), or a batch — a JSON array, or NDJSON
 * ({@code application/x-ndjson}) — of at most MAX_BATCH_EVENTS, each validated on its own
 * ({@link EpasBatchIngest}).
 */
public final class EpasIngest implements IngestHandler {

    static final String INVALID = "Invalid player event";
    /** The error of a valid event the queue refuses (nothing a retry fixes). */
    static final String QUEUE_REFUSED = "body: the queue refused this message";
    /** Media types of one event per line. */
    private static final Set<String> NDJSON_TYPES =
            Set.of("application/x-ndjson", "application/ndjson", "application/jsonl");

    private final EventValidator validator;
    private final EventStore store;
    private final IngestMetrics metrics;
    /** One event may be no larger than one SQS message holds, nor than a whole body may be. */
    private final int maxEventBytes;

    private final int maxBatchEvents;
    private final long heartbeatIntervalMs;
    private final EpasBatchIngest batches;

    public EpasIngest(Settings settings, EventStore store, IngestMetrics metrics) {
        this.validator = new EventValidator(settings.maxJsonDepth(), settings.shardIdPattern());
        this.store = store;
        this.metrics = metrics;
        this.maxEventBytes = Math.min(settings.maxEventBytes(), settings.maxBodyBytes());
        this.maxBatchEvents = settings.maxBatchEvents();
        this.heartbeatIntervalMs = settings.heartbeatIntervalMs();
        this.batches = new EpasBatchIngest(validator, store, metrics, maxEventBytes, heartbeatIntervalMs);
    }

    @Override
    public void handle(PostedRequest p) {
        if (NDJSON_TYPES.contains(MediaTypes.of(p.req()))) {
            batches.handle(p, EventBatches.ndjson(p.body(), maxBatchEvents));
        } else if (EventBatches.firstNonBlank(p.body()) == '[') {
            batches.handle(p, EventBatches.array(p.body(), maxBatchEvents));
        } else {
            single(p);
        }
    }

    @Override
    public void refuse(ServerResponse res, Rejection rejection, String error) {
        Answers.rejectionHeaders(res, rejection);
        if (rejection.retryable()) {
            Answers.json(res, rejection.status(), JsonBodies.message(error));
            return;
        }
        String message = switch (rejection) {
            case TOO_LARGE -> "Event too large";
            case ORIGIN_FORBIDDEN -> "Origin not allowed";
            default -> INVALID;
        };
        Answers.json(res, rejection.status(), EpasAnswers.refused(null, message, List.of(error)));
    }

    /** One JSON object: today's contract, byte for byte. */
    private void single(PostedRequest p) {
        ServerResponse res = p.res();
        if (p.body().length > maxEventBytes) {
            metrics.rejected(Rejection.TOO_LARGE);
            refuse(res, Rejection.TOO_LARGE, "body: larger than " + maxEventBytes + " bytes");
            return;
        }
        ValidationResult result = validator.validate(p.body());
        if (!result.valid()) {
            metrics.rejected(Rejection.of(result.kind()));
            Answers.json(
                    res, Status.BAD_REQUEST_400, EpasAnswers.refused(result.sessionId(), INVALID, result.errors()));
            return;
        }
        Outcome outcome = store.store(List.of(queued(p, result, p.body().length)), List.of(result.type()))
                .getFirst();
        if (outcome instanceof NotStored n) {
            Answers.rejectionHeaders(res, n.rejection());
            if (n.rejection() == Rejection.QUEUE_REFUSED) {
                Answers.json(
                        res,
                        Status.BAD_REQUEST_400,
                        EpasAnswers.refused(result.sessionId(), INVALID, List.of(QUEUE_REFUSED)));
            } else {
                Answers.json(
                        res,
                        n.rejection().status(),
                        EpasAnswers.notStored(result.sessionId(), "Event not stored, retry later", n.reason()));
            }
            return;
        }
        byte[] answer = result.type() == EventType.INIT
                ? EpasAnswers.initAccepted(result.sessionId(), heartbeatIntervalMs)
                : EpasAnswers.accepted(result.sessionId());
        Answers.json(res, Status.OK_200, answer);
    }

    /** A valid event of the request, for the queue. */
    static QueuedEvent queued(PostedRequest p, ValidationResult r, int bytes) {
        return p.queuedEvent(r.json(), r.type(), r.timestampText(), r.shardId(), null, bytes);
    }
}
