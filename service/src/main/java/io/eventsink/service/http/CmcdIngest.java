package io.eventsink.service.http;

import io.eventsink.service.Settings;
import io.eventsink.service.cmcd.CmcdReport;
import io.eventsink.service.cmcd.CmcdReports;
import io.eventsink.service.cmcd.CmcdToEpas;
import io.eventsink.service.cmcd.CmcdToEpas.EpasEvent;
import io.eventsink.service.cmcd.CmcdToEpas.Mapped;
import io.eventsink.service.cmcd.ReferenceJson;
import io.eventsink.service.cmcd.SkippedReportLog;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.EventRoutes.Posted;
import io.eventsink.service.http.Ingest.NotStored;
import io.eventsink.service.http.Ingest.Outcome;
import io.eventsink.service.http.JsonBodies.ReferenceResult;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /cmcd}: CMCD v2 reports (CTA-5004-B) mapped to EPAS events ({@link CmcdToEpas}) and
 * stored like any event, each acknowledged only once the queue has it. Reports come as an
 * event-mode body (one per line, {@code application/cmcd}), as request-mode {@code CMCD-*}
 * headers or the {@code CMCD} query argument, or in the JSON shapes of Eyevinn's
 * player-analytics-eventsink ({@code application/json}). Answers follow CTA-5004-B: 204 when every
 * report was stored or deliberately skipped, 429 to back off, 410 when CMCD is switched off, 503
 * when an event could not be stored, 400 when nothing could be read.
 */
final class CmcdIngest implements EventRoutes.BodyHandler {

    private static final System.Logger LOG = System.getLogger(CmcdIngest.class.getName());
    /** Media types players send event-mode bodies with (compared without parameters). */
    private static final Set<String> CMCD_TYPES =
            Set.of("application/cmcd", "text/cmcd", "application/cmcd+text", "text/plain");

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private final boolean enabled;
    private final int maxReports;
    private final int maxDepth;
    private final EventValidator validator;
    private final Ingest ingest;
    private final IngestMetrics metrics;
    private final SkippedReportLog skippedLog = new SkippedReportLog();

    CmcdIngest(Settings settings, Ingest ingest, IngestMetrics metrics) {
        this.enabled = settings.cmcdEnabled();
        this.maxReports = settings.maxBatchEvents();
        this.maxDepth = settings.maxJsonDepth();
        this.validator = new EventValidator(settings.maxJsonDepth(), settings.shardIdPattern());
        this.ingest = ingest;
        this.metrics = metrics;
    }

    @Override
    public void refuse(ServerResponse res, Rejection rejection, String error) {
        EventRoutes.rejectionHeaders(res, rejection);
        EventRoutes.send(res, rejection.cmcdStatus(), JsonBodies.message(error, List.of()));
    }

    @Override
    public void handle(Posted p) {
        if (!enabled) {
            metrics.rejected(Rejection.CMCD_DISABLED);
            refuse(p.res(), Rejection.CMCD_DISABLED, "CMCD reporting is switched off on this endpoint: stop sending");
            return;
        }
        ServerRequest req = p.req();
        boolean hasBody =
                p.body().length > 0 && Method.POST.equals(req.prologue().method());
        if (hasBody && json(req)) {
            referenceShapes(p);
            return;
        }
        if (hasBody && !cmcdBody(req)) {
            metrics.rejected(Rejection.UNSUPPORTED_MEDIA_TYPE);
            refuse(
                    p.res(),
                    Rejection.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/cmcd (or text/cmcd, text/plain) or application/json");
            return;
        }
        List<CmcdReport> reports = new ArrayList<>();
        List<String> unparsable = List.of();
        if (hasBody) {
            try {
                CmcdReports.Read read = CmcdReports.body(p.body(), maxReports);
                reports.addAll(read.reports());
                unparsable = read.unparsable();
                metrics.cmcdReceived(read.lines());
                metrics.cmcdSkipped("unparsable", read.lines() - read.reports().size());
            } catch (CmcdReports.TooMany e) {
                metrics.rejected(Rejection.TOO_LARGE);
                refuse(p.res(), Rejection.TOO_LARGE, "body: " + e.getMessage() + " (MAX_BATCH_EVENTS)");
                return;
            } catch (CmcdReports.Unreadable e) {
                metrics.rejected(Rejection.MALFORMED_BODY);
                refuse(p.res(), Rejection.MALFORMED_BODY, e.getMessage());
                return;
            }
        } else {
            CmcdReport one = requestMode(req);
            if (one != null) {
                reports.add(one);
                metrics.cmcdReceived(1);
            }
        }
        if (reports.isEmpty()) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            EventRoutes.send(
                    p.res(),
                    Status.BAD_REQUEST_400,
                    JsonBodies.message(
                            "No CMCD report could be read: send records in the body (application/cmcd), "
                                    + "CMCD-* headers or a CMCD query argument",
                            unparsable));
            return;
        }
        List<Outcome> outcomes = store(p, reports, null);
        Rejection worst = worstRetryable(outcomes);
        if (worst == null) {
            p.res().status(Status.NO_CONTENT_204);
            p.res().header(EventRoutes.NOSNIFF);
            p.res().header(EventRoutes.X_EPAS_VERSION);
            p.res().send();
        } else {
            refuse(p.res(), worst, "Some events were not stored, send the reports again later");
        }
    }

    /** Headers win over the query (CTA-5004-B section 6). */
    private static CmcdReport requestMode(ServerRequest req) {
        Map<String, String> headers = cmcdHeaders(req);
        if (!headers.isEmpty()) {
            return CmcdReports.headers(headers);
        }
        return req.query().first("CMCD").map(CmcdReports::query).orElse(null);
    }

    private static Map<String, String> cmcdHeaders(ServerRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : CmcdReports.HEADERS) {
            req.headers().first(HeaderNames.create(name)).ifPresent(v -> headers.put(name, v));
        }
        return headers;
    }

    /**
     * Maps every report and stores the events they give (each checked against EPAS first);
     * {@code mapped}, when not null, receives each report's events in order.
     */
    private List<Outcome> store(Posted p, List<CmcdReport> reports, List<List<EpasEvent>> mapped) {
        List<QueuedEvent> queued = new ArrayList<>();
        List<EventType> types = new ArrayList<>();
        for (CmcdReport report : reports) {
            Mapped m = CmcdToEpas.map(report);
            List<EpasEvent> kept = new ArrayList<>();
            if (m.skipped() != null) {
                metrics.cmcdSkipped(m.skipped().tag(), 1);
            }
            skippedLog.noted(report, m);
            for (EpasEvent e : m.events()) {
                byte[] bytes = e.json().getBytes(StandardCharsets.UTF_8);
                ValidationResult check = validator.validate(bytes);
                if (!check.valid()) {
                    // a mapping that breaks EPAS is our bug, never the player's: say so, skip it
                    LOG.log(
                            Level.WARNING,
                            "CMCD mapping made an invalid EPAS event " + e.json() + ": " + check.errors());
                    metrics.cmcdSkipped("invalid_mapping", 1);
                    continue;
                }
                kept.add(e);
                metrics.cmcdProduced(e.type());
                queued.add(new QueuedEvent(
                        e.json(),
                        e.type().wireName(),
                        e.timestampText(),
                        p.receivedAtMs(),
                        p.origin(),
                        null,
                        "cmcd",
                        bytes.length));
                types.add(e.type());
            }
            if (mapped != null) {
                mapped.add(kept);
            }
        }
        return ingest.store(queued, types);
    }

    /** The rejection to answer with when events were not stored: back-off (429) wins, else 503. */
    private static Rejection worstRetryable(List<Outcome> outcomes) {
        Rejection worst = null;
        for (Outcome o : outcomes) {
            if (o instanceof NotStored n && n.rejection().retryable()) {
                if (worst == null
                        || n.rejection().cmcdStatus().code()
                                > worst.cmcdStatus().code()) {
                    worst = n.rejection();
                }
            }
        }
        return worst;
    }

    // --- the JSON shapes of player-analytics-eventsink

    private void referenceShapes(Posted p) {
        ServerResponse res = p.res();
        JsonObject body;
        try {
            if (tooDeep(p.body())) {
                throw new JsonException("nested deeper than " + maxDepth + " levels");
            }
            body = READERS.createReader(new ByteArrayInputStream(p.body())).readObject();
        } catch (JsonException | IllegalStateException e) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            EventRoutes.send(
                    res,
                    Status.BAD_REQUEST_400,
                    JsonBodies.referenceError("Invalid CMCDv2 data", List.of("body: malformed JSON object")));
            return;
        }
        List<CmcdReport> reports;
        try {
            CmcdReport fromHeaders = cmcdHeaders(p.req()).isEmpty() ? null : CmcdReports.headers(cmcdHeaders(p.req()));
            reports = ReferenceJson.reports(body, fromHeaders, maxReports);
        } catch (ReferenceJson.NotAShape e) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            EventRoutes.send(
                    res,
                    Status.BAD_REQUEST_400,
                    JsonBodies.referenceError("Invalid CMCDv2 data", List.of(e.getMessage())));
            return;
        }
        metrics.cmcdReceived(reports.size());
        List<List<EpasEvent>> mapped = new ArrayList<>();
        List<Outcome> outcomes = store(p, reports, mapped);
        List<ReferenceResult> results = new ArrayList<>();
        String sessionId = null;
        int k = 0;
        for (List<EpasEvent> events : mapped) {
            for (EpasEvent e : events) {
                if (sessionId == null) {
                    sessionId = e.sessionId();
                }
                Outcome o = outcomes.get(k++);
                results.add(
                        o instanceof NotStored n
                                ? new ReferenceResult(
                                        e.type().wireName(), false, "not stored, retry later: " + n.reason())
                                : new ReferenceResult(e.type().wireName(), true, null));
            }
        }
        if (results.isEmpty()) {
            EventRoutes.send(
                    res,
                    Status.BAD_REQUEST_400,
                    JsonBodies.referenceError("No EPAS events generated from CMCDv2 data", List.of()));
            return;
        }
        Rejection worst = worstRetryable(outcomes);
        if (worst != null) {
            // that sink answers 207 here; we never let a client think an event it must resend was taken
            EventRoutes.rejectionHeaders(res, worst);
            EventRoutes.send(
                    res, Status.SERVICE_UNAVAILABLE_503, JsonBodies.referenceAnswer(sessionId, results, List.of()));
            return;
        }
        EventRoutes.send(res, Status.OK_200, JsonBodies.referenceAnswer(sessionId, results, List.of()));
    }

    /** JSON-P's object reader recurses: refuse absurd nesting with the streaming parser first. */
    private boolean tooDeep(byte[] body) {
        int depth = 0;
        try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(body))) {
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > maxDepth) {
                            return true;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {}
                }
            }
        }
        return false;
    }

    private static boolean json(ServerRequest req) {
        return mediaType(req).equals("application/json");
    }

    /** Event-mode bodies: the CMCD types, text/plain, or no Content-Type at all. */
    private static boolean cmcdBody(ServerRequest req) {
        String type = mediaType(req);
        return type.isEmpty() || CMCD_TYPES.contains(type);
    }

    private static String mediaType(ServerRequest req) {
        return req.headers()
                .contentType()
                .map(t -> t.mediaType().text().toLowerCase(Locale.ROOT))
                .orElse("");
    }
}
