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
        state.sending();
        try {
            writer.write(buffers);
        } finally {
            state.sent();
        }
    }

    @Override
    public void write(BufferData buffer) {
        state.sending();
        try {
            writer.write(buffer);
        } finally {
            state.sent();
        }
    }

    @Override
    public void writeNow(BufferData... buffers) {
        state.sending();
        try {
            writer.writeNow(buffers);
        } finally {
            state.sent();
        }
    }

    @Override
    public void writeNow(BufferData buffer) {
        state.sending();
        try {
            writer.writeNow(buffer);
        } finally {
            state.sent();
        }
    }

    @Override
    public void flush() {
        state.sending();
        try {
            writer.flush();
        } finally {
            state.sent();
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
