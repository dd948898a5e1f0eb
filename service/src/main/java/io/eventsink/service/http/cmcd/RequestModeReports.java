package io.eventsink.service.http.cmcd;

import io.eventsink.service.cmcd.CmcdReport;
import io.eventsink.service.cmcd.CmcdReports;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** A report sent in request mode: the {@code CMCD-*} headers, or the {@code CMCD} query argument. */
final class RequestModeReports {

    private RequestModeReports() {}

    /** The report of the request, or null when it carries none. Headers win over the query (CTA-5004-B section 6). */
    static CmcdReport of(ServerRequest req) {
        CmcdReport fromHeaders = fromHeaders(req);
        if (fromHeaders != null) {
            return fromHeaders;
        }
        return req.query().first("CMCD").map(CmcdReports::query).orElse(null);
    }

    /** The report of the {@code CMCD-*} headers, or null when there are none. */
    static CmcdReport fromHeaders(ServerRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : CmcdReports.HEADERS) {
            req.headers().first(HeaderNames.create(name)).ifPresent(v -> headers.put(name, v));
        }
        return headers.isEmpty() ? null : CmcdReports.headers(headers);
    }
}
