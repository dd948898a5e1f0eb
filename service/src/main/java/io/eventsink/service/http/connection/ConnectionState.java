package io.eventsink.service.http.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.CloseConnectionException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one connection is in its request cycle, and until when it may stay there. The connection's
 * own thread moves it forward (bytes arrive, the head is parsed, the body is read, the answer is
 * sent); the guard's watchdog expires it when a deadline passes, answers 408 when a request had
 * started, and closes the socket, which ends the blocked read.
 */
final class ConnectionState {

    /** The phases of a request cycle on one connection. */
    enum Phase {
        /** Between requests (or before the first): waiting for the first byte. */
        IDLE,
        /** A request head is arriving. */
        HEAD,
        /** The head is in, its body is arriving. */
        BODY,
        /** The request is being handled: no deadline, the delivery timeout bounds it. */
        BUSY,
        /**
         * An answer that ends the connection went out (a 413 before the body was read, a 408 at a
         * deadline): what still arrives is dropped until the client hangs up or this phase's deadline.
         */
        LINGER,
        /** A deadline passed: the connection is being closed. */
        EXPIRED
    }

    /*
     * How long, and how much, a lingering connection reads before it is closed anyway. Closing a
     * socket with unread bytes makes the kernel send a reset, which can destroy the 413 or 408 in
     * flight before the client has read it; reading on for a moment lets the close be an orderly one
     * (as nginx's lingering close does). A client that still sends after that gets the reset.
     */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_BYTES = 4L * 1024 * 1024;

    /** A body whose end the head does not say: chunked, or a malformed Content-Length. */
    static final long UNKNOWN_LENGTH = -1;

    /** @param started whether any byte of the current request arrived (only then is a 408 worth sending) */
    record State(Phase phase, long deadlineNanos, boolean started) {

        State(Phase phase, long deadlineNanos) {
            this(phase, deadlineNanos, phase == Phase.BODY);
        }
    }

    /*
     * Thrown to end a connection; Helidon closes it quietly. Shared, stack traces filled once:
     * thousands of stalled connections may end in the same second, and each would otherwise walk
     * a deep virtual-thread stack for a trace nobody reads.
     */
    private static final CloseConnectionException DEADLINE_PASSED = new CloseConnectionException("deadline passed");
    private static final CloseConnectionException CLIENT_GONE = new CloseConnectionException("client gone");

    private final HelidonSocket socket;
    private final ConnectionGuard guard;
    private final AtomicReference<State> state = new AtomicReference<>();
    private volatile boolean lingerBeforeClose;
    /** Until when the answer being written may take (0: none is being written); see {@link #sending()}. */
    private volatile long sendDeadlineNanos;
    /** When the first byte of the current request arrived (read by the watchdog to time a 408). */
    private volatile long requestStartNanos;
    /** The current request's body length as its head announced it (see ConnectionGuard.bodyLength); connection's thread only. */
    private long bodyLength = UNKNOWN_LENGTH;

    ConnectionState(HelidonSocket socket, ConnectionGuard guard) {
        this.socket = socket;
        this.guard = guard;
        // A new connection owes us a request head: it gets the head deadline from the accept on.
        state.set(new State(Phase.HEAD, System.nanoTime() + guard.headNanos()));
    }

    State state() {
        return state.get();
    }

    /** Reads from the socket for Helidon's parser; runs on the connection's thread. */
    byte[] read() {
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            throw expired() ? DEADLINE_PASSED : CLIENT_GONE;
        }
        if (bytes == null) {
            // The client hung up, mid-request or between requests: nothing to answer, nothing to log.
            throw CLIENT_GONE;
        }
        State s = state.get();
        if (s.phase() == Phase.LINGER) {
            // the watchdog is answering 408: drop what the client still sends until the socket closes
            drain(bytes.length);
            throw DEADLINE_PASSED;
        }
        if (s.phase() == Phase.IDLE) {
            // the first bytes of the next request: its head deadline runs from now
            requestStartNanos = System.nanoTime();
            state.compareAndSet(s, new State(Phase.HEAD, requestStartNanos + guard.headNanos(), true));
        } else if (s.phase() == Phase.HEAD && !s.started()) {
            // the first request of a new connection: its deadline already runs from the accept
            requestStartNanos = System.nanoTime();
            state.compareAndSet(s, new State(Phase.HEAD, s.deadlineNanos(), true));
        }
        if (expired()) {
            throw DEADLINE_PASSED;
        }
        return bytes;
    }

    /** The head is parsed: a body is expected, or the request goes straight to its handler. */
    void headReceived(long bodyLength) {
        this.bodyLength = bodyLength;
        move(bodyLength != 0 ? new State(Phase.BODY, System.nanoTime() + guard.bodyNanos()) : new State(Phase.BUSY, 0));
    }

    /**
     * An answer is being written (on the connection's thread, which blocks while the client's
     * socket takes no more): it must be taken within the send deadline.
     */
    void sending() {
        sendDeadlineNanos = System.nanoTime() + guard.sendNanos();
    }

    /** The answer being written was taken by the socket. */
    void sent() {
        sendDeadlineNanos = 0;
    }

    /** When the answer being written must have been taken by the socket; 0 while none is being written. */
    long sendDeadlineNanos() {
        return sendDeadlineNanos;
    }

    /**
     * Called by the watchdog with the send deadline it read: true when an answer has been blocked
     * past that deadline and this call expired the connection; the watchdog then closes it, which
     * ends the blocked write.
     */
    boolean expireIfSendOverdue(long deadline, long now) {
        if (deadline == 0 || now - deadline < 0) {
            return false;
        }
        State s = state.get();
        return s.phase() != Phase.EXPIRED
                && s.phase() != Phase.LINGER
                && state.compareAndSet(s, new State(Phase.EXPIRED, 0, s.started()));
    }

    /**
     * The handler has the whole body. Throws when the body deadline passed meanwhile: the watchdog
     * answers and closes then, so the handler must not write an answer of its own.
     */
    void bodyReceived() {
        Phase phase = state.get().phase();
        if (phase == Phase.BODY) {
            move(new State(Phase.BUSY, 0));
        } else if (phase == Phase.EXPIRED || phase == Phase.LINGER) {
            throw DEADLINE_PASSED;
        }
    }

    /** The answer is sent: wait for the next request, at most the idle timeout. */
    void exchangeDone() {
        move(new State(Phase.IDLE, System.nanoTime() + guard.idleNanos()));
    }

    /** The answer being sent closes the connection although the client may still be sending its body. */
    void lingerBeforeClose() {
        lingerBeforeClose = true;
    }

    /**
     * Runs on the connection's thread once Helidon is done with it, before the socket is closed:
     * after {@link #lingerBeforeClose()}, reads and drops what the client still sends until it hangs
     * up, {@code LINGER_BYTES} were read, or the watchdog closes it {@code LINGER_NANOS} from now.
     * Not for a body declared longer than {@code LINGER_BYTES}: that client is cut off at once. A
     * chunked body, of unknown end, lingers within the same bounds: now that a closing answer closes
     * the connection as soon as it is written, a client still sending its chunks would otherwise get
     * the reset instead of the 413.
     */
    void lingerIfAsked() {
        State s = state.get();
        if (!lingerBeforeClose
                || bodyLength > LINGER_BYTES
                || s.phase() == Phase.EXPIRED
                || !state.compareAndSet(s, new State(Phase.LINGER, System.nanoTime() + LINGER_NANOS))) {
            return;
        }
        drain(0);
    }

    /** Reads and drops until the client hangs up, LINGER_BYTES in all, or the watchdog closes the socket. */
    private void drain(long dropped) {
        try {
            for (byte[] b = socket.get(); b != null && dropped < LINGER_BYTES; b = socket.get()) {
                dropped += b.length;
            }
        } catch (RuntimeException closed) {
            // the client hung up, or the watchdog closed the socket at the linger deadline
        }
    }

    private void move(State next) {
        State s = state.get();
        if (s.phase() == Phase.EXPIRED || s.phase() == Phase.LINGER || !state.compareAndSet(s, next)) {
            throw DEADLINE_PASSED;
        }
    }

    /** When the first byte of the current request arrived. */
    long requestStartNanos() {
        return requestStartNanos;
    }

    /** Whether the watchdog ended the connection (it may still be lingering after its answer). */
    boolean expired() {
        Phase phase = state.get().phase();
        return phase == Phase.EXPIRED || phase == Phase.LINGER;
    }

    /**
     * Called by the watchdog: true when this call expired the connection; the watchdog then closes
     * it. With {@code answered} (a 408 is to be written first) the connection lingers meanwhile: its
     * own thread drops what still arrives instead of closing the socket before the answer is out,
     * which the watchdog's closer may take a moment to write when thousands expire at once.
     */
    boolean expireIfPast(State seen, long now, boolean answered) {
        State next = answered
                ? new State(Phase.LINGER, now + LINGER_NANOS, seen.started())
                : new State(Phase.EXPIRED, 0, seen.started());
        return seen.phase() != Phase.BUSY
                && seen.phase() != Phase.EXPIRED
                && now - seen.deadlineNanos() >= 0
                && state.compareAndSet(seen, next);
    }

    /** Answers (when a request had started) and closes; runs off the connection's thread. */
    void close(byte[] answer) {
        if (answer != null) {
            try {
                socket.write(BufferData.create(answer));
            } catch (RuntimeException clientGone) {
                // nothing more to tell it
            }
        }
        try {
            socket.close();
        } catch (RuntimeException alreadyClosed) {
            // the connection ended on its own meanwhile
        }
    }
}
