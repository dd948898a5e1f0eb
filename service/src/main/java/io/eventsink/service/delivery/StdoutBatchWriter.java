package io.eventsink.service.delivery;

import io.eventsink.service.delivery.format.QueueMessage;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * Writes one line per message, for local debugging and log-pipeline deployments: one JSON line per
 * event, as the sink packs nothing for stdout. An event counts as delivered once its line is flushed.
 */
public final class StdoutBatchWriter implements BatchWriter {

    private final OutputStream out;

    public StdoutBatchWriter() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    public StdoutBatchWriter(OutputStream target) {
        this.out = new BufferedOutputStream(target, 64 * 1024);
    }

    @Override
    public int maxBatchEntries() {
        return 256;
    }

    @Override
    public int maxBatchBytes() {
        return 4 * 1024 * 1024;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public synchronized List<EntryOutcome> write(List<QueueMessage> batch) throws WriteFailure {
        try {
            for (QueueMessage m : batch) {
                out.write(oneLine(m.body()));
                out.write('\n');
            }
            out.flush();
            return Collections.nCopies(batch.size(), EntryOutcome.DELIVERED);
        } catch (IOException e) {
            throw new WriteFailure(WriteFailure.Kind.UNREACHABLE, "stdout: " + e.getMessage(), e);
        }
    }

    /**
     * In valid JSON a raw CR or LF can only be whitespace between tokens (inside strings they must
     * be escaped), so turning them into spaces keeps the event intact and on one line.
     */
    static byte[] oneLine(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                bytes[i] = ' ';
            }
        }
        return bytes;
    }

    @Override
    public void probe() {
        // stdout is always there
    }

    @Override
    public String describe() {
        return "stdout";
    }

    @Override
    public synchronized void close() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // Nothing left to tell: stdout is gone.
        }
    }
}
