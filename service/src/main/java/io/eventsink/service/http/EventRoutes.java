package io.eventsink.service.http;

import io.eventsink.service.Settings;
import io.eventsink.service.delivery.DeliveryPipeline;
import io.eventsink.service.http.connection.ConnectionGuard;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.concurrent.Semaphore;

/**
 * The public API: {@code POST /} takes EPAS events (one, or a batch), {@code /cmcd} takes CMCD v2
 * reports, {@code OPTIONS} answers CORS preflights, anything else is 404/405. What both POST routes
 * share happens here, in this order: CORS, reading the body (within MAX_BODY_BYTES, decompressed),
 * then a slot of MAX_CONCURRENT_REQUESTS — taken only once the body is in, so a client that
 * stalls its body cannot hold one. Handlers run on virtual threads, so waiting for the queue to
 * confirm events (group commit) costs no platform thread.
 */
public final class EventRoutes implements HttpService {

    /** The EPAS version this sink validates, sent on every answer as player-analytics-eventsink does. */
    public static final String EPAS_VERSION = "0.5.0";

    static final Header NOSNIFF = HeaderValues.create(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
    static final Header X_EPAS_VERSION = HeaderValues.create(HeaderNames.create("X-EPAS-Version"), EPAS_VERSION);
    private static final Header ALLOW_EVENTS = HeaderValues.create(HeaderNames.ALLOW, "POST, OPTIONS");
    private static final Header ALLOW_CMCD = HeaderValues.create(HeaderNames.ALLOW, "GET, POST, OPTIONS");
    private static final byte[] NOT_FOUND = JsonBodies.message("Not found: send events with POST / or POST /cmcd");
    private static final int MAX_ORIGIN_ATTRIBUTE = 256;

    private final Cors eventsCors;
    private final Cors cmcdCors;
    private final EpasIngest epas;
    private final CmcdIngest cmcd;
    private final IngestMetrics metrics;
    private final int maxBodyBytes;
    /**
     * Requests being processed, counted only once their body is in: a client that stalls its body
     * holds a connection (bounded by the body deadline), never a slot that ready requests need.
     */
    private final Semaphore inProgress;

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
        Ingest ingest = new Ingest(pipeline, metrics, settings.deliveryTimeout());
        this.epas = new EpasIngest(settings, ingest, metrics);
        this.cmcd = new CmcdIngest(settings, ingest, metrics);
        this.metrics = metrics;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.inProgress = new Semaphore(settings.maxConcurrentRequests());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", post(eventsCors, epas))
                .options("/", preflight(eventsCors))
                .any("/", methodNotAllowed(ALLOW_EVENTS, "use POST / for events, OPTIONS / for CORS"))
                .post("/cmcd", post(cmcdCors, cmcd))
                .get("/cmcd", post(cmcdCors, cmcd))
                .options("/cmcd", preflight(cmcdCors))
                .any("/cmcd", methodNotAllowed(ALLOW_CMCD, "use POST /cmcd (or GET with CMCD headers or query)"))
                .any(this::notFound);
    }

    /** A request with its body read in full, handed to a route. */
    record Posted(ServerRequest req, ServerResponse res, byte[] body, long receivedAtMs, String origin) {}

    /** What POST / and /cmcd do differently. */
    interface BodyHandler {
        /** The request passed CORS, its body is in and it holds a slot. */
        void handle(Posted posted);

        /** The request is refused before its events are looked at (origin, body, overload). */
        void refuse(ServerResponse res, Rejection rejection, String error);
    }

    private Handler post(Cors cors, BodyHandler route) {
        return (req, res) -> {
            long receivedAt = System.currentTimeMillis();
            String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
            cors.apply(origin, res);
            if (!cors.permits(origin)) {
                metrics.rejected(Rejection.ORIGIN_FORBIDDEN);
                route.refuse(res, Rejection.ORIGIN_FORBIDDEN, "origin: not in the allowed origins of this sink");
                return;
            }
            RequestBodies.Body body = RequestBodies.read(req, maxBodyBytes);
            ConnectionGuard.bodyReceived();
            if (body instanceof RequestBodies.Refused refused) {
                metrics.rejected(refused.rejection());
                route.refuse(res, refused.rejection(), refused.error());
                return;
            }
            if (!inProgress.tryAcquire()) {
                // Load shedding: refused at once instead of queueing until the client gives up.
                metrics.rejected(Rejection.OVERLOADED);
                route.refuse(res, Rejection.OVERLOADED, "Too many requests in progress, retry later");
                return;
            }
            try {
                route.handle(
                        new Posted(req, res, ((RequestBodies.Read) body).bytes(), receivedAt, originAttribute(origin)));
            } finally {
                inProgress.release();
            }
        };
    }

    private static Handler preflight(Cors cors) {
        return (req, res) -> {
            cors.apply(req.headers().first(HeaderNames.ORIGIN).orElse(null), res);
            res.header(Cors.MAX_AGE);
            res.header(NOSNIFF);
            res.header(X_EPAS_VERSION);
            res.status(Status.OK_200);
            res.send();
        };
    }

    private static Handler methodNotAllowed(Header allow, String hint) {
        byte[] body = JsonBodies.message("Method not allowed: " + hint);
        return (req, res) -> {
            res.header(allow);
            send(res, Status.METHOD_NOT_ALLOWED_405, body);
        };
    }

    private void notFound(ServerRequest req, ServerResponse res) {
        send(res, Status.NOT_FOUND_404, NOT_FOUND);
    }

    /** Sends a JSON answer with the headers every answer carries. */
    static void send(ServerResponse res, Status status, byte[] json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(NOSNIFF);
        res.header(NO_STORE);
        res.header(X_EPAS_VERSION);
        res.send(json);
    }

    /** Adds what a rejection asks of the answer: Retry-After, Connection: close. */
    static void rejectionHeaders(ServerResponse res, Rejection rejection) {
        if (rejection.retryAfter() != null) {
            res.header(HeaderNames.RETRY_AFTER, rejection.retryAfter());
        }
        if (rejection.closesConnection()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        if (rejection == Rejection.TOO_LARGE) {
            ConnectionGuard.lingerBeforeClose();
        }
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
