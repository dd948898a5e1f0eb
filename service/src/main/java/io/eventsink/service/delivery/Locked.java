package io.eventsink.service.delivery;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** A lock taken around a block: the one place the pipeline's lock, try and finally are written. */
final class Locked {

    private final ReentrantLock lock = new ReentrantLock();

    <T> T get(Supplier<T> block) {
        lock.lock();
        try {
            return block.get();
        } finally {
            lock.unlock();
        }
    }

    void run(Runnable block) {
        lock.lock();
        try {
            block.run();
        } finally {
            lock.unlock();
        }
    }
}
