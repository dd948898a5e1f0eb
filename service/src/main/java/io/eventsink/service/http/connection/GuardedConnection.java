package io.eventsink.service.http.connection;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.concurrency.limits.LimitAlgorithm;
import io.helidon.webserver.spi.ServerConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * Helidon's HTTP/1 connection, run with the guard's bookkeeping around it: registered with the
 * watchdog while it lives, and told where each exchange ends through the request limit's token
 * (Helidon takes the token once a head is parsed and completes it after the answer).
 */
final class GuardedConnection implements ServerConnection {

    private final ServerConnection http1;
    private final ConnectionState state;
    private final ConnectionGuard guard;

    GuardedConnection(ServerConnection http1, ConnectionState state, ConnectionGuard guard) {
        this.http1 = http1;
        this.state = state;
        this.guard = guard;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        guard.opened(state);
        try {
            http1.handle(new ExchangeLimit(limit, state));
        } finally {
            state.lingerIfAsked();
            guard.closed(state);
        }
    }

    @Override
    public Duration idleTime() {
        return http1.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        http1.close(interrupt);
    }

    /** The listener's limit, with each accepted token also ending the exchange in the connection's state. */
    private record ExchangeLimit(Limit limit, ConnectionState state) implements Limit {

        @Override
        public Outcome tryAcquireOutcome(boolean wait) {
            Outcome outcome = limit.tryAcquireOutcome(wait);
            if (outcome instanceof Outcome.Accepted accepted) {
                LimitAlgorithm.Token token = accepted.token();
                return Outcome.immediateAcceptance(outcome.originName(), outcome.algorithmType(), new Token() {
                    @Override
                    public void dropped() {
                        token.dropped();
                        state.exchangeDone();
                    }

                    @Override
                    public void ignore() {
                        token.ignore();
                        state.exchangeDone();
                    }

                    @Override
                    public void success() {
                        token.success();
                        state.exchangeDone();
                    }
                });
            }
            return outcome;
        }

        @SuppressWarnings("removal")
        @Override
        public Optional<Token> tryAcquire(boolean wait) {
            return limit.tryAcquire(wait);
        }

        @SuppressWarnings("removal")
        @Override
        public Optional<Token> tryAcquire() {
            return limit.tryAcquire();
        }

        @Override
        public Limit copy() {
            return limit.copy();
        }

        @Override
        public String name() {
            return limit.name();
        }

        @Override
        public String type() {
            return limit.type();
        }
    }
}
