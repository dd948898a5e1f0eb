package io.eventsink.service.http;

import io.eventsink.service.http.connection.ConnectionGuard;
import io.eventsink.service.http.ingest.IngestHandler;
import io.eventsink.service.http.ingest.IngestMetrics;
import io.eventsink.service.http.ingest.PostedRequest;
import io.eventsink.service.http.ingest.Rejection;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import java.util.concurrent.Semaphore;

/**
 * What both routes that take events do before their handler sees a request, in this order: CORS,
 * reading the body (within MAX_BODY_BYTES, decompressed), then a slot of MAX_CONCURRENT_REQUESTS —
 * taken only once the body is in, so a client that stalls its body cannot hold one. Handlers run
 * on virtual threads, so waiting for the queue to confirm events (group commit) costs no platform
 * thread.
 */
final class RequestIntake {

    private static final int MAX_ORIGIN_ATTRIBUTE = 256;

    private final IngestMetrics metrics;
    private final int maxBodyBytes;
    /**
     * Requests being processed, counted only once their body is in: a client that stalls its body
     * holds a connection (bounded by the body deadline), never a slot that ready requests need.
     */
    private final Semaphore inProgress;

    RequestIntake(int maxBodyBytes, int maxConcurrentRequests, IngestMetrics metrics) {
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.inProgress = new Semaphore(maxConcurrentRequests);
    }

    /** The route handler that takes a request in and hands it to {@code handler}. */
    Handler into(Cors cors, IngestHandler handler) {
        return (req, res) -> {
            long receivedAt = System.currentTimeMillis();
            String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
            cors.apply(origin, res);
            if (!cors.permits(origin)) {
                metrics.rejected(Rejection.ORIGIN_FORBIDDEN);
                handler.refuse(res, Rejection.ORIGIN_FORBIDDEN, "origin: not in the allowed origins of this sink");
                return;
            }
            RequestBodies.Body body = RequestBodies.read(req, maxBodyBytes);
            ConnectionGuard.bodyReceived();
            if (body instanceof RequestBodies.Refused refused) {
                metrics.rejected(refused.rejection());
                handler.refuse(res, refused.rejection(), refused.error());
                return;
            }
            if (!inProgress.tryAcquire()) {
                // Load shedding: refused at once instead of queueing until the client gives up.
                metrics.rejected(Rejection.OVERLOADED);
                handler.refuse(res, Rejection.OVERLOADED, "Too many requests in progress, retry later");
                return;
            }
            try {
                handler.handle(new PostedRequest(
                        req, res, ((RequestBodies.Read) body).bytes(), receivedAt, originAttribute(origin)));
            } finally {
                inProgress.release();
            }
        };
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
