package io.eventsink.service.http.ingest;

import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;

/** The media type of a request body, the one way the routes read it. */
public final class MediaTypes {

    private MediaTypes() {}

    /** The Content-Type's media type in lower case, without parameters; empty when there is none. */
    public static String of(ServerRequest req) {
        return req.headers()
                .contentType()
                .map(t -> t.mediaType().text().toLowerCase(Locale.ROOT))
                .orElse("");
    }
}
