package io.eventsink.service.http.connection;

import io.eventsink.service.http.connection.ConnectionState.State;
import io.eventsink.settings.ServiceSettings;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deadlines and a cap for the connections of the public port, which Helidon 4.5 does not have:
 * a request head must arrive within {@code REQUEST_HEAD_TIMEOUT_MS} (from its first byte; from
 * the accept for a new connection), its body within {@code REQUEST_BODY_TIMEOUT_MS}, an answer
 * must be taken by the client within {@code RESPONSE_SEND_TIMEOUT_MS}, and a keep-alive connection
 * may idle for {@code IDLE_CONNECTION_TIMEOUT_MS}; past a deadline the client gets 408 (when a
 * request had started and was not answered yet) and the connection is closed. Beyond
 * {@code MAX_CONNECTIONS} open connections new ones get 503 and are closed at once.
 *
 * <p>Built on Helidon's public SPI: our HTTP/1 connection selector ({@link Http1Selector}, which
 * also brings HTTP/1.0) wraps Helidon's, gives it a reader over the socket that tracks each
 * connection's phase ({@link ConnectionState}), and learns where each exchange starts and ends
 * from the head listener and the request limit's token. One watchdog thread sweeps all
 * connections ten times a second.
 */
public final class ConnectionGuard implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    private static final ThreadLocal<ConnectionState> CURRENT = new ThreadLocal<>();
    private static final long SWEEP_MS = 100;

    private final long headNanos;
    private final long bodyNanos;
    private final long sendNanos;
    private final long idleNanos;
    private final int maxConnections;
    private final ConnectionMetrics metrics;
    private final Set<ConnectionState> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("eventsink-connection-watchdog").factory());
    /** Answering and closing may block on a slow socket: never on the watchdog. */
    private final ExecutorService closer = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("eventsink-connection-closer-", 0).factory());

    private final byte[] headTimeout;
    private final byte[] bodyTimeout;

    public ConnectionGuard(
            Duration head, Duration body, Duration send, Duration idle, int maxConnections, ConnectionMetrics metrics) {
        this.headNanos = head.toNanos();
        this.bodyNanos = body.toNanos();
        this.sendNanos = send.toNanos();
        this.idleNanos = idle.toNanos();
        this.maxConnections = maxConnections;
        this.metrics = metrics;
        this.headTimeout = Answers.requestTimeout("Request head not received within " + head.toMillis() + " ms");
        this.bodyTimeout = Answers.requestTimeout("Request body not received within " + body.toMillis() + " ms");
        metrics.registerOpen(open::get);
        watchdog.scheduleAtFixedRate(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * What one held connection costs in heap (virtual thread stack, socket buffer, Helidon's
     * connection and its parsed head), as measured with thousands of stalled connections
     * (faults/README.md), with room to spare.
     */
    static final long HEAP_PER_CONNECTION = 24 * 1024;

    /** Heap kept for everything but held connections: pending events, bodies being processed, meters. */
    static final long HEAP_RESERVE = 64L * 1024 * 1024;

    /**
     * MAX_CONNECTIONS, or fewer when this JVM's heap could not hold that many: the cap is there so
     * that no number of clients can run the service out of memory, whatever the pod's size.
     */
    public static int affordableConnections(int maxConnections, long maxHeapBytes) {
        long affordable =
                Math.max(ServiceSettings.MAX_CONNECTIONS_MIN, (maxHeapBytes - HEAP_RESERVE) / HEAP_PER_CONNECTION);
        if (affordable < maxConnections) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "MAX_CONNECTIONS=" + maxConnections + " would need "
                            + (maxConnections * HEAP_PER_CONNECTION + HEAP_RESERVE) / (1024 * 1024)
                            + " MiB of heap; this JVM has "
                            + maxHeapBytes / (1024 * 1024) + " MiB: at most " + affordable + " connections");
            return (int) affordable;
        }
        return maxConnections;
    }

    /**
     * Tells the guard of this (handler's) connection that its answer closes the connection before the
     * request body was read (413): the connection then drains what still arrives for a moment before
     * it closes, so that the client reads the answer instead of a reset.
     */
    public static void lingerBeforeClose() {
        ConnectionState state = CURRENT.get();
        if (state != null) {
            state.lingerBeforeClose();
        }
    }

    /** Tells the guard of this (handler's) connection that the request body has been read in full. */
    public static void bodyReceived() {
        ConnectionState state = CURRENT.get();
        if (state != null) {
            state.bodyReceived();
        }
    }

    /**
     * The HTTP/1 selector for the public listener (with protocol discovery off, it is the only one),
     * HTTP/1.0 included ({@link Http1Selector}).
     */
    public ServerConnectionSelector selector() {
        Http1ConnectionListener heads = new Http1ConnectionListener() {
            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                if (ctx instanceof WrappedContext wrapped) {
                    wrapped.state().headReceived(bodyLength(headers));
                }
            }
        };
        return new Http1Selector(heads, (http1, ctx) -> {
            // On the connection's own virtual thread, after the accept, before any byte is read.
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                metrics.closed(ConnectionMetrics.Reason.OVER_LIMIT);
                return new RefusedConnection(ctx);
            }
            ConnectionState state = new ConnectionState(ctx.serverSocket(), this);
            WrappedContext wrapped =
                    new WrappedContext(ctx, state::read, new TimedWriter(ctx.dataWriter(), state), state);
            return new GuardedConnection(http1.connection(wrapped), state, this);
        });
    }

    long headNanos() {
        return headNanos;
    }

    long bodyNanos() {
        return bodyNanos;
    }

    long sendNanos() {
        return sendNanos;
    }

    long idleNanos() {
        return idleNanos;
    }

    void opened(ConnectionState state) {
        connections.add(state);
        CURRENT.set(state);
    }

    void closed(ConnectionState state) {
        CURRENT.remove();
        connections.remove(state);
        open.decrementAndGet();
    }

    /** Open connections on the public port. */
    public int open() {
        return open.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (ConnectionState c : connections) {
            long sendDeadline = c.sendDeadlineNanos();
            if (c.expireIfSendOverdue(sendDeadline, now)) {
                // The client stopped reading its answers: it would not read a 408 either.
                metrics.closed(ConnectionMetrics.Reason.SEND_TIMEOUT);
                closeAfterDeadline(c, null, sendDeadline);
                continue;
            }
            State seen = c.state();
            byte[] answer = switch (seen.phase()) {
                case HEAD -> seen.started() ? headTimeout : null;
                case BODY -> bodyTimeout;
                default -> null;
            };
            if (!c.expireIfPast(seen, now, answer != null)) {
                continue;
            }
            switch (seen.phase()) {
                case HEAD -> metrics.closed(ConnectionMetrics.Reason.HEAD_TIMEOUT);
                case BODY -> metrics.closed(ConnectionMetrics.Reason.BODY_TIMEOUT);
                case LINGER -> {
                    // its answer was sent; the client kept the connection past the linger: just close
                }
                default -> metrics.closed(ConnectionMetrics.Reason.IDLE_TIMEOUT);
            }
            if (answer != null) {
                metrics.requestTimedOut(now - c.requestStartNanos());
            }
            if (seen.phase() == ConnectionState.Phase.LINGER) {
                closer.execute(() -> c.close(null)); // our own linger, not a client's deadline
            } else {
                closeAfterDeadline(c, answer, seen.deadlineNanos());
            }
        }
    }

    /** Answers and closes off the watchdog, and measures how long after the client's deadline that was done. */
    private void closeAfterDeadline(ConnectionState c, byte[] answer, long deadlineNanos) {
        closer.execute(() -> {
            c.close(answer);
            metrics.closedAfterDeadline(System.nanoTime() - deadlineNanos);
        });
    }

    /**
     * The body the head announces: its Content-Length, 0 for none, or {@link ConnectionState#UNKNOWN_LENGTH}
     * (chunked, or a malformed length Helidon will answer 400 for; the body deadline holds until then).
     */
    static long bodyLength(Headers headers) {
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return ConnectionState.UNKNOWN_LENGTH;
        }
        try {
            return headers.contentLength().orElse(0);
        } catch (RuntimeException malformedLength) {
            return ConnectionState.UNKNOWN_LENGTH;
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        closer.shutdown();
        metrics.unregisterOpen();
    }

    /** Fixed answers written straight to the socket (the exchange is not Helidon's any more). */
    static final class Answers {

        static final byte[] TOO_MANY_CONNECTIONS =
                answer("503 Service Unavailable", "Retry-After: 1\r\n", "Too many connections, retry later");

        private Answers() {}

        static byte[] requestTimeout(String message) {
            return answer("408 Request Timeout", "", message);
        }

        private static byte[] answer(String status, String extraHeaders, String message) {
            String body = "{\"message\":\"" + message + "\"}";
            return ("HTTP/1.1 " + status + "\r\n"
                            + "Content-Type: application/json\r\n"
                            + "X-Content-Type-Options: nosniff\r\n"
                            + extraHeaders
                            + "Connection: close\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }
}
