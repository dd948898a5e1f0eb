package io.eventsink.service.http.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;

/**
 * Helidon's writer for one connection, with each write under the connection's send deadline: a
 * client that stops reading its answers blocks the write once its socket buffers are full, and
 * would otherwise hold the connection, its thread and its request slot for as long as it likes.
 */
final class TimedWriter implements DataWriter {

    private final DataWriter writer;
    private final ConnectionState state;

    TimedWriter(DataWriter writer, ConnectionState state) {
        this.writer = writer;
        this.state = state;
    }

    @Override
    public void write(BufferData... buffers) {
        timed(() -> writer.write(buffers));
    }

    @Override
    public void write(BufferData buffer) {
        timed(() -> writer.write(buffer));
    }

    @Override
    public void writeNow(BufferData... buffers) {
        timed(() -> writer.writeNow(buffers));
    }

    @Override
    public void writeNow(BufferData buffer) {
        timed(() -> writer.writeNow(buffer));
    }

    @Override
    public void flush() {
        timed(writer::flush);
    }

    @Override
    public void close() {
        writer.close();
    }

    private void timed(Runnable write) {
        state.sending();
        try {
            write.run();
        } finally {
            state.sent();
        }
    }
}
