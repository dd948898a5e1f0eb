package io.eventsink.service.http;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.http.cmcd.CmcdIngest;
import io.eventsink.service.http.epas.EpasIngest;
import io.eventsink.service.http.ingest.Answers;
import io.eventsink.service.http.ingest.EventStore;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.JsonBodies;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The public API: {@code POST /} takes EPAS events (one, or a batch: {@link EpasIngest}),
 * {@code /cmcd} takes CMCD v2 reports ({@link CmcdIngest}), {@code OPTIONS} answers CORS
 * preflights, anything else is 404/405. Both POST routes take requests in alike ({@link RequestIntake}).
 */
public final class EventRoutes implements HttpService {

    private static final Header ALLOW_EVENTS = HeaderValues.create(HeaderNames.ALLOW, "POST, OPTIONS");
    private static final Header ALLOW_CMCD = HeaderValues.create(HeaderNames.ALLOW, "GET, POST, OPTIONS");
    private static final byte[] NOT_FOUND = JsonBodies.message("Not found: send events with POST / or POST /cmcd");

    private final Cors eventsCors;
    private final Cors cmcdCors;
    private final Handler epas;
    private final Handler cmcd;

    public EventRoutes(Settings settings, DeliveryPipeline pipeline, IngestMetrics metrics) {
        this.eventsCors = new Cors(
                settings.corsAllowedOrigins(),
                "POST, OPTIONS",
                "Content-Type, Content-Encoding, Origin, X-EPAS-Event, X-EPAS-Version");
        // application/cmcd is not a CORS-safelisted type, so browsers preflight; request mode adds the CMCD-* headers
        this.cmcdCors = new Cors(
                settings.corsAllowedOrigins(),
                "GET, POST, OPTIONS",
                "Content-Type, Content-Encoding, Authorization, CMCD-Request, CMCD-Object, CMCD-Status, CMCD-Session");
        EventStore store = new EventStore(pipeline, metrics, settings.deliveryTimeout());
        RequestIntake intake = new RequestIntake(settings.maxBodyBytes(), settings.maxConcurrentRequests(), metrics);
        this.epas = intake.into(eventsCors, new EpasIngest(settings, store, metrics));
        this.cmcd = intake.into(cmcdCors, new CmcdIngest(settings, store, metrics));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", epas)
                .options("/", eventsCors.preflight())
                .any("/", methodNotAllowed(ALLOW_EVENTS, "use POST / for events, OPTIONS / for CORS"))
                .post("/cmcd", cmcd)
                .get("/cmcd", cmcd)
                .options("/cmcd", cmcdCors.preflight())
                .any("/cmcd", methodNotAllowed(ALLOW_CMCD, "use POST /cmcd (or GET with CMCD headers or query)"))
                .any(this::notFound);
    }

    private static Handler methodNotAllowed(Header allow, String hint) {
        byte[] body = JsonBodies.message("Method not allowed: " + hint);
        return (req, res) -> {
            res.header(allow);
            Answers.json(res, Status.METHOD_NOT_ALLOWED_405, body);
        };
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        Answers.json(res, Status.NOT_FOUND_404, NOT_FOUND);
    }
}
