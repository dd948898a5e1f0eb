package io.eventsink.service.http.ingest;

import io.helidon.webserver.http.ServerResponse;

/** What a route that takes events ({@code POST /}, {@code /cmcd}) does with a request. */
public interface IngestHandler {

    /** The request passed CORS, its body is in and it holds a slot. */
    void handle(PostedRequest posted);

    /** The request is refused before its events are looked at (origin, body, overload). */
    void refuse(ServerResponse res, Rejection rejection, String error);
}
