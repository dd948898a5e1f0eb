package io.eventsink.service.http.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * A connection's writer that closes the connection after an answer that says so, and sends an
 * HTTP/1.0 client each answer with a {@code Content-Length}:
 * HTTP/1.0 has no chunked transfer coding, and Helidon chunks an answer it gets in several pieces
 * of unknown total length (the health endpoints' JSON, for one). Such an answer is collected, its
 * chunks decoded, and written in one piece with its length ({@link ChunkedAnswer}); the connection
 * can then stay open if the client asked for it. Every other answer, and every answer to an
 * HTTP/1.1 client, goes straight through.
 */
final class Http10Answers implements DataWriter {

    /**
     * Helidon's send listener: told of each answer's headers just before they are written, it
     * arms the writer of an HTTP/1.0 connection when the answer is to be chunked.
     */
    static final Http1ConnectionListener CHUNKED_ANSWERS = new Http1ConnectionListener() {
        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            if (ctx instanceof WrappedContext wrapped) {
                wrapped.answers().headersNext(headers);
            }
        }
    };

    /**
     * Helidon's receive listener: told of each request head, it notes whether the request closes
     * its connection (Helidon answers {@code Connection: close} but would wait for the client to hang up).
     */
    static final Http1ConnectionListener CLOSING_REQUESTS = new Http1ConnectionListener() {
        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            if (ctx instanceof WrappedContext wrapped) {
                wrapped.answers().requests.requestHead(headers.containsToken(HeaderValues.CONNECTION_CLOSE));
            }
        }
    };

    private final DataWriter socket;
    private final Http10Requests requests;
    /** The chunked answer being collected; null when writes go straight through. */
    private ChunkedAnswer collecting;

    Http10Answers(DataWriter socket, Http10Requests requests) {
        this.socket = socket;
        this.requests = requests;
    }

    /**
     * The next write starts an answer with these headers (what an unfinished answer left is
     * dropped). A connection is closed after an answer that says {@code Connection: close}, as RFC
     * 9112 section 9.6 asks of a server (Helidon would wait for the client to hang up), and an
     * HTTP/1.0 connection also after an answer to a request that did not ask to keep it.
     */
    void headersNext(Headers headers) {
        collecting = null;
        requests.answering(headers.containsToken(HeaderValues.CONNECTION_CLOSE));
        if (requests.http10() && headers.containsToken(HeaderValues.TRANSFER_ENCODING_CHUNKED)) {
            collecting = new ChunkedAnswer();
        }
    }

    @Override
    public void write(BufferData... buffers) {
        if (!collected(buffers)) {
            socket.write(buffers);
        }
    }

    @Override
    public void write(BufferData buffer) {
        if (!collected(buffer)) {
            socket.write(buffer);
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        if (!collected(buffers)) {
            socket.writeNow(buffers);
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        if (!collected(buffer)) {
            socket.writeNow(buffer);
        }
    }

    @Override
    public void flush() {
        if (collecting == null) {
            socket.flush();
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    /** Whether these bytes belong to a chunked answer being collected (written once it is complete). */
    private boolean collected(BufferData... buffers) {
        if (collecting == null) {
            return false;
        }
        for (BufferData buffer : buffers) {
            collecting.add(buffer.readBytes());
        }
        if (collecting.complete()) {
            byte[] answer = collecting.withLength();
            collecting = null;
            socket.write(BufferData.create(answer));
        }
        return true;
    }
}
