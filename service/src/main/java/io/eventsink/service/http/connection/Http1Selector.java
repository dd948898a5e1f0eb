package io.eventsink.service.http.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Helidon's HTTP/1 connection selector, with each connection's context wrapped so that HTTP/1.0
 * clients are served too ({@link WrappedContext}). Set as a listener's only selector (protocol
 * discovery off), it is handed each accepted socket before a byte is read. The public port's
 * {@link ConnectionGuard} adds its deadlines and cap; the management port takes {@link #management()}.
 */
public final class Http1Selector implements ServerConnectionSelector {

    /** Makes one connection from Helidon's HTTP/1 selector and the accepted socket's context. */
    interface Connections {
        ServerConnection connection(Http1ConnectionSelector http1, ConnectionContext ctx);
    }

    private final Http1ConnectionSelector http1;
    private final Connections connections;

    /**
     * @param heads told of each request head after this selector's own bookkeeping, or null. One
     *     listener per direction: Helidon 4.5 drops every call when it has several (its composite
     *     listener implements none of the methods), so ours are combined here.
     */
    Http1Selector(Http1ConnectionListener heads, Connections connections) {
        Http1ConnectionListener receive = heads == null
                ? Http10Answers.CLOSING_REQUESTS
                : new Http1ConnectionListener() {
                    @Override
                    public void headers(ConnectionContext ctx, Headers headers) {
                        Http10Answers.CLOSING_REQUESTS.headers(ctx, headers);
                        heads.headers(ctx, headers);
                    }
                };
        Http1Config http1Config = Http1Config.builder()
                .addReceiveListener(receive)
                .addSendListener(Http10Answers.CHUNKED_ANSWERS)
                // an HTTP/1.0 client keeps its connection only when the answer says keep-alive
                .sendKeepAliveHeader(true)
                .build();
        this.http1 = Http1ConnectionSelector.builder().config(http1Config).build();
        this.connections = connections;
    }

    /** The management port's selector: HTTP/1.0 and 1.1, no deadlines. */
    public static ServerConnectionSelector management() {
        return new Http1Selector(
                null,
                (http1, ctx) -> http1.connection(
                        new WrappedContext(ctx, socketReads(ctx.serverSocket()), ctx.dataWriter(), null)));
    }

    /** The socket's bytes as Helidon's own reader takes them: a failed read ends the connection quietly. */
    private static Supplier<byte[]> socketReads(HelidonSocket socket) {
        return () -> {
            try {
                return socket.get();
            } catch (UncheckedIOException e) {
                throw new ServerConnectionException("Failed to get data from socket", e);
            }
        };
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        // only asked when other selectors compete for the listener (not in EventSink)
        int lf = data.indexOf((byte) '\n');
        if (lf >= 0 && data.readString(lf).endsWith(" HTTP/1.0\r")) {
            return Support.SUPPORTED;
        }
        data.rewind();
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return connections.connection(http1, ctx);
    }
}
