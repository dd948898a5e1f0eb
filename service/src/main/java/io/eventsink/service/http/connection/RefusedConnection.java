package io.eventsink.service.http.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;

/** A connection over MAX_CONNECTIONS: answered 503 at once without reading, then closed by Helidon. */
final class RefusedConnection implements ServerConnection {

    private final ConnectionContext ctx;

    RefusedConnection(ConnectionContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(Limit limit) {
        try {
            ctx.dataWriter().writeNow(BufferData.create(ConnectionGuard.Answers.TOO_MANY_CONNECTIONS));
        } catch (RuntimeException clientGone) {
            // nothing to tell
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        // handle() returns at once; Helidon closes the socket after it
    }
}
