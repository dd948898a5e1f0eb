package io.eventsink.service.http.ingest;

import io.eventsink.service.delivery.QueuedEvent;
import io.eventsink.service.epas.EventType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A request that passed CORS, with its body read in full, handed to an {@link IngestHandler}.
 *
 * @param receivedAtMs when the request arrived, for the {@code ReceivedAt} attribute
 * @param origin       the Origin header when it is fit to be a message attribute, else null
 */
public record PostedRequest(ServerRequest req, ServerResponse res, byte[] body, long receivedAtMs, String origin) {

    /** One valid event of this request, as the delivery pipeline takes it. */
    public QueuedEvent queuedEvent(
            String json, EventType type, String timestampText, String shardId, String source, int bytes) {
        return new QueuedEvent(json, type.wireName(), timestampText, receivedAtMs, origin, shardId, source, bytes);
    }
}
