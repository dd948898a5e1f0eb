package io.eventsink.service.http.epas;

import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventBatches;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.epas.EpasAnswers.BatchResult;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.EventStore;
import io.eventsink.service.http.ingest.EventStore.NotStored;
import io.eventsink.service.http.ingest.EventStore.Outcome;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A batch on {@code POST /}: every event validated on its own, the valid ones stored together. 200
 * when each event was stored or is invalid (resending cannot help those); 503 + Retry-After when a
 * valid one was not stored — the answer lists which, so only those are sent again.
 */
final class EpasBatchIngest {

    private final EventValidator validator;
    private final EventStore store;
    private final IngestMetrics metrics;
    private final int maxEventBytes;
    private final long heartbeatIntervalMs;

    EpasBatchIngest(
            EventValidator validator,
            EventStore store,
            IngestMetrics metrics,
            int maxEventBytes,
            long heartbeatIntervalMs) {
        this.validator = validator;
        this.store = store;
        this.metrics = metrics;
        this.maxEventBytes = maxEventBytes;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    void handle(PostedRequest p, EventBatches.Split split) {
        ServerResponse res = p.res();
        switch (split) {
            case EventBatches.NotABatch notABatch -> {
                metrics.rejected(Rejection.MALFORMED_BODY);
                Answers.json(
                        res,
                        Status.BAD_REQUEST_400,
                        EpasAnswers.refused(null, "Invalid batch", List.of(notABatch.reason())));
            }
            case EventBatches.TooMany tooMany -> {
                metrics.rejected(Rejection.TOO_LARGE);
                Answers.rejectionHeaders(res, Rejection.TOO_LARGE);
                Answers.json(
                        res,
                        Status.REQUEST_ENTITY_TOO_LARGE_413,
                        EpasAnswers.refused(
                                null,
                                "Batch too large",
                                List.of("body: more than " + tooMany.limit() + " events (MAX_BATCH_EVENTS)")));
            }
            case EventBatches.Events events -> store(p, events.events());
        }
    }

    private void store(PostedRequest p, List<byte[]> events) {
        BatchResult[] results = new BatchResult[events.size()];
        List<QueuedEvent> valid = new ArrayList<>();
        List<EventType> types = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            byte[] bytes = events.get(i);
            if (bytes.length > maxEventBytes) {
                metrics.rejected(Rejection.TOO_LARGE);
                results[i] = new BatchResult(
                        null, BatchStatus.INVALID, List.of("event: larger than " + maxEventBytes + " bytes"), null);
                continue;
            }
            ValidationResult r = validator.validate(bytes);
            if (!r.valid()) {
                metrics.rejected(Rejection.of(r.kind()));
                results[i] = new BatchResult(r.sessionId(), BatchStatus.INVALID, r.errors(), null);
                continue;
            }
            results[i] = new BatchResult(r.sessionId(), BatchStatus.STORED, null, null);
            valid.add(EpasIngest.queued(p, r, bytes.length));
            types.add(r.type());
            positions.add(i);
        }
        List<Outcome> outcomes = store.store(valid, types);
        List<Duration> waits = new ArrayList<>();
        boolean initStored = false;
        for (int k = 0; k < outcomes.size(); k++) {
            initStored |= outcomes.get(k) instanceof EventStore.Stored && types.get(k) == EventType.INIT;
            if (outcomes.get(k) instanceof NotStored n) {
                int i = positions.get(k);
                String sessionId = results[i].sessionId();
                if (n.rejection().retryable()) {
                    waits.add(n.rejection().retryAfter().orElseThrow());
                    results[i] = new BatchResult(sessionId, BatchStatus.NOT_STORED, null, n.reason());
                } else {
                    results[i] =
                            new BatchResult(sessionId, BatchStatus.INVALID, List.of(EpasIngest.QUEUE_REFUSED), null);
                }
            }
        }
        ServerResponse res = p.res();
        Long heartbeat = initStored ? heartbeatIntervalMs : null;
        if (waits.isEmpty()) {
            Answers.json(res, Status.OK_200, EpasAnswers.batch(List.of(results), heartbeat));
            return;
        }
        // the longest wait any of them asks for
        Answers.retryAfter(res, waits.stream().max(Comparator.naturalOrder()).orElseThrow());
        Answers.json(res, Status.SERVICE_UNAVAILABLE_503, EpasAnswers.batch(List.of(results), heartbeat));
    }
}
