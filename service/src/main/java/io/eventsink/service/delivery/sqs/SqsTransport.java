package io.eventsink.service.delivery.sqs;

import java.io.IOException;
import java.util.Map;

/** Posts one signed SQS JSON-protocol request and returns the answer. Blocks the calling (virtual) thread. */
public interface SqsTransport extends AutoCloseable {

    /**
     * @param headers the signed headers to send (Host is set by the transport from the endpoint)
     */
    Response post(Map<String, String> headers, byte[] body) throws IOException;

    @Override
    void close();

    /** An HTTP answer: status, body, and the {@code x-amzn-query-error} header when present. */
    record Response(int status, byte[] body, String queryError) {}
}
