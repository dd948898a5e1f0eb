package io.eventsink.service.http.cmcd;

import io.eventsink.service.cmcd.CmcdReport;
import io.eventsink.service.cmcd.CmcdToEpas.EpasEvent;
import io.eventsink.service.cmcd.ReferenceJson;
import io.eventsink.service.epas.JsonNesting;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.EventStore.NotStored;
import io.eventsink.service.http.ingest.EventStore.Outcome;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /cmcd} with {@code application/json}: the JSON shapes of Eyevinn's
 * player-analytics-eventsink ({@link ReferenceJson}), answered as that sink answers them, except
 * that an event not stored is never reported as taken.
 */
final class CmcdJsonIngest {

    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final String INVALID = "Invalid CMCDv2 data";

    private final JsonNesting nesting;
    private final int maxReports;
    private final CmcdEventStore store;
    private final IngestMetrics metrics;

    CmcdJsonIngest(JsonNesting nesting, int maxReports, CmcdEventStore store, IngestMetrics metrics) {
        this.nesting = nesting;
        this.maxReports = maxReports;
        this.store = store;
        this.metrics = metrics;
    }

    void handle(PostedRequest p) {
        ServerResponse res = p.res();
        JsonObject body;
        try {
            // JSON-P's object reader recurses: refuse absurd nesting with the streaming parser first
            if (nesting.exceededBy(p.body())) {
                throw new JsonException("nested deeper than " + nesting.maxDepth() + " levels");
            }
            body = READERS.createReader(new ByteArrayInputStream(p.body())).readObject();
        } catch (JsonException | IllegalStateException e) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            Answers.json(
                    res,
                    Status.BAD_REQUEST_400,
                    ReferenceAnswers.error(INVALID, List.of("body: malformed JSON object")));
            return;
        }
        List<CmcdReport> reports;
        try {
            reports = ReferenceJson.reports(body, RequestModeReports.fromHeaders(p.req()), maxReports);
        } catch (ReferenceJson.NotAShape e) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            Answers.json(res, Status.BAD_REQUEST_400, ReferenceAnswers.error(INVALID, List.of(e.getMessage())));
            return;
        }
        metrics.cmcdReceived(reports.size());
        CmcdEventStore.Stored stored = store.store(p, reports);
        List<ReferenceAnswers.Result> results = new ArrayList<>();
        for (int k = 0; k < stored.events().size(); k++) {
            String event = stored.events().get(k).type().wireName();
            Outcome o = stored.outcomes().get(k);
            results.add(
                    o instanceof NotStored n
                            ? new ReferenceAnswers.Result(event, false, "not stored, retry later: " + n.reason())
                            : new ReferenceAnswers.Result(event, true, null));
        }
        if (results.isEmpty()) {
            Answers.json(
                    res,
                    Status.BAD_REQUEST_400,
                    ReferenceAnswers.error("No EPAS events generated from CMCDv2 data", List.of()));
            return;
        }
        String sessionId = stored.events().stream()
                .map(EpasEvent::sessionId)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Rejection worst = stored.worstRetryable();
        if (worst != null) {
            // that sink answers 207 here; we never let a client think an event it must resend was taken
            Answers.rejectionHeaders(res, worst);
            Answers.json(res, Status.SERVICE_UNAVAILABLE_503, ReferenceAnswers.answer(sessionId, results));
            return;
        }
        Answers.json(res, Status.OK_200, ReferenceAnswers.answer(sessionId, results));
    }
}
