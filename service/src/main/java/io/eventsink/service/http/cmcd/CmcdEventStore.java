package io.eventsink.service.http.cmcd;

import io.eventsink.service.cmcd.CmcdReport;
import io.eventsink.service.cmcd.CmcdToEpas;
import io.eventsink.service.cmcd.CmcdToEpas.EpasEvent;
import io.eventsink.service.cmcd.CmcdToEpas.Mapped;
import io.eventsink.service.cmcd.SkippedReportLog;
import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventType;
import io.eventsink.service.epas.EventValidator;
import io.eventsink.service.epas.ValidationResult;
import io.eventsink.service.http.ingest.EventStore;
import io.eventsink.service.http.ingest.EventStore.NotStored;
import io.eventsink.service.http.ingest.EventStore.Outcome;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Maps CMCD reports to EPAS events ({@link CmcdToEpas}), checks each against EPAS, and stores them. */
final class CmcdEventStore {

    private static final System.Logger LOG = System.getLogger(CmcdEventStore.class.getName());

    /** The events stored (or not), in the order of their reports, each with what became of it. */
    record Stored(List<EpasEvent> events, List<Outcome> outcomes) {

        /** The rejection to answer with when events were not stored: the highest status, so 503 over 429. */
        Rejection worstRetryable() {
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
    }

    private final EventValidator validator;
    private final EventStore store;
    private final IngestMetrics metrics;
    private final SkippedReportLog skippedLog = new SkippedReportLog();

    CmcdEventStore(EventValidator validator, EventStore store, IngestMetrics metrics) {
        this.validator = validator;
        this.store = store;
        this.metrics = metrics;
    }

    /** Maps every report and stores the events they give, once each was checked against EPAS. */
    Stored store(PostedRequest p, List<CmcdReport> reports) {
        List<EpasEvent> kept = new ArrayList<>();
        List<QueuedEvent> queued = new ArrayList<>();
        List<EventType> types = new ArrayList<>();
        for (CmcdReport report : reports) {
            Mapped m = CmcdToEpas.map(report);
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
                queued.add(p.queuedEvent(e.json(), e.type(), e.timestampText(), null, "cmcd", bytes.length));
                types.add(e.type());
            }
        }
        return new Stored(kept, store.store(queued, types));
    }
}
