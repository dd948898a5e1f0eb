package io.eventsink.service.http.connection;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The connection's context as Helidon made it, except that Helidon's HTTP/1 parser reads through
 * {@link Http10Requests} and answers are written through {@link Http10Answers} (so that HTTP/1.0
 * is spoken too), and, on the public port, socket reads and writes go through the connection's
 * {@link ConnectionState} (deadlines).
 */
final class WrappedContext implements ConnectionContext {

    private final ConnectionContext ctx;
    private final ConnectionState state;
    private final DataReader reader;
    private final Http10Answers writer;

    /**
     * @param socketReads the socket's bytes, as they arrive
     * @param socketWriter writes to the socket
     * @param state the guard's bookkeeping of the connection (null on the management port: no deadlines)
     */
    WrappedContext(
            ConnectionContext ctx, Supplier<byte[]> socketReads, DataWriter socketWriter, ConnectionState state) {
        this.ctx = ctx;
        this.state = state;
        Http10Requests requests = new Http10Requests(socketReads, () -> hostOf(ctx.localPeer()));
        this.reader = DataReader.create(requests);
        this.writer = new Http10Answers(socketWriter, requests);
    }

    /** The Host an HTTP/1.0 request without one is given: the address it came in on. */
    private static String hostOf(PeerInfo local) {
        String host = local.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.port();
    }

    ConnectionState state() {
        return state;
    }

    Http10Answers answers() {
        return writer;
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return ctx.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public Router router() {
        return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
        return ctx.isSecure();
    }

    @Override
    public String socketId() {
        return ctx.socketId();
    }

    @Override
    public String childSocketId() {
        return ctx.childSocketId();
    }
}
