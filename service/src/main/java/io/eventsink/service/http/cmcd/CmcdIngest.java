package io.eventsink.service.http.cmcd;

import io.eventsink.service.Settings;
import io.eventsink.service.cmcd.CmcdReport;
import io.eventsink.service.cmcd.CmcdReports;
import io.eventsink.service.cmcd.CmcdToEpas;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.JsonNesting;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.EventStore;
import io.eventsink.service.http.ingest.IngestHandler;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.JsonBodies;
import io.eventsink.service.http.ingest.MediaTypes;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /cmcd}: CMCD v2 reports (CTA-5004-B) mapped to EPAS events ({@link CmcdToEpas}) and
 * stored like any event, each acknowledged only once the queue has it. Reports come as an
 * event-mode body (one per line, {@code application/cmcd}), as request-mode {@code CMCD-*}
 * headers or the {@code CMCD} query argument, or in the JSON shapes of Eyevinn's
 * player-analytics-eventsink ({@code application/json}, {@link CmcdJsonIngest}). Answers follow
 * CTA-5004-B: 204 when every report was stored or deliberately skipped, 429 to back off, 410 when
 * CMCD is switched off, 503 when an event could not be stored, 400 when nothing could be read.
 */
public final class CmcdIngest implements IngestHandler {

    /** Media types players send event-mode bodies with (compared without parameters). */
    private static final Set<String> CMCD_TYPES =
            Set.of("application/cmcd", "text/cmcd", "application/cmcd+text", "text/plain");

    private final boolean enabled;
    private final int maxReports;
    private final IngestMetrics metrics;
    private final CmcdEventStore store;
    private final CmcdJsonIngest json;

    public CmcdIngest(Settings settings, EventStore store, IngestMetrics metrics) {
        this.enabled = settings.cmcdEnabled();
        this.maxReports = settings.maxBatchEvents();
        this.metrics = metrics;
        this.store = new CmcdEventStore(
                new EventValidator(settings.maxJsonDepth(), settings.shardIdPattern()), store, metrics);
        this.json = new CmcdJsonIngest(new JsonNesting(settings.maxJsonDepth()), maxReports, this.store, metrics);
    }

    @Override
    public void refuse(ServerResponse res, Rejection rejection, String error) {
        Answers.rejectionHeaders(res, rejection);
        Answers.json(res, rejection.cmcdStatus(), JsonBodies.message(error, List.of()));
    }

    @Override
    public void handle(PostedRequest p) {
        if (!enabled) {
            metrics.rejected(Rejection.CMCD_DISABLED);
            refuse(p.res(), Rejection.CMCD_DISABLED, "CMCD reporting is switched off on this endpoint: stop sending");
            return;
        }
        boolean hasBody =
                p.body().length > 0 && Method.POST.equals(p.req().prologue().method());
        String mediaType = MediaTypes.of(p.req());
        if (hasBody && mediaType.equals("application/json")) {
            json.handle(p);
            return;
        }
        // event-mode bodies: the CMCD types, text/plain, or no Content-Type at all
        if (hasBody && !mediaType.isEmpty() && !CMCD_TYPES.contains(mediaType)) {
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
            CmcdReport one = RequestModeReports.of(p.req());
            if (one != null) {
                reports.add(one);
                metrics.cmcdReceived(1);
            }
        }
        if (reports.isEmpty()) {
            metrics.rejected(Rejection.MALFORMED_BODY);
            Answers.json(
                    p.res(),
                    Status.BAD_REQUEST_400,
                    JsonBodies.message(
                            "No CMCD report could be read: send records in the body (application/cmcd), "
                                    + "CMCD-* headers or a CMCD query argument",
                            unparsable));
            return;
        }
        Rejection worst = store.store(p, reports).worstRetryable();
        if (worst == null) {
            Answers.noContent(p.res());
        } else {
            refuse(p.res(), worst, "Some events were not stored, send the reports again later");
        }
    }
}
