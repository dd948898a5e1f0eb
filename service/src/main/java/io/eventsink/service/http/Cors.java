package io.eventsink.service.http;

import io.eventsink.service.http.ingest.Answers;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Set;

/**
 * CORS as Eyevinn's player-analytics-eventsink does it: {@code *} when no allowlist is
 * configured, otherwise the request's own origin when listed and no
 * {@code Access-Control-Allow-Origin} at all when not. Each route says which methods and request
 * headers browsers may use.
 */
final class Cors {

    /** Browsers cap this anyway (Chrome at 2 h); a day saves preflights where they honour it. */
    private static final Header MAX_AGE = HeaderValues.create(HeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");

    private static final Header VARY_ORIGIN = HeaderValues.create(HeaderNames.VARY, "Origin");
    /** Scripts may read these from our answers (the EPAS version, when to retry). */
    private static final Header EXPOSE_HEADERS =
            HeaderValues.create(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-EPAS-Version, Retry-After");

    private static final Header ANY_ORIGIN = HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");

    private final Set<String> allowed;
    private final Header allowMethods;
    private final Header allowHeaders;

    Cors(List<String> allowedOrigins, String methods, String requestHeaders) {
        this.allowed = Set.copyOf(allowedOrigins);
        this.allowMethods = HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        this.allowHeaders = HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestHeaders);
    }

    /** Whether a request from {@code origin} (null: no Origin header, i.e. not a browser CORS call) may post. */
    boolean permits(String origin) {
        return origin == null || allowed.isEmpty() || allowed.contains(origin);
    }

    /** Adds the CORS response headers for a request from {@code origin}. */
    void apply(String origin, ServerResponse res) {
        if (allowed.isEmpty()) {
            res.header(ANY_ORIGIN);
        } else if (origin != null && allowed.contains(origin)) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        res.header(allowMethods);
        res.header(allowHeaders);
        res.header(EXPOSE_HEADERS);
        res.header(VARY_ORIGIN);
    }

    /** The answer to a preflight ({@code OPTIONS}). */
    Handler preflight() {
        return (req, res) -> {
            apply(req.headers().first(HeaderNames.ORIGIN).orElse(null), res);
            res.header(MAX_AGE);
            res.header(Answers.NOSNIFF);
            res.header(Answers.X_EPAS_VERSION);
            res.status(Status.OK_200);
            res.send();
        };
    }
}
