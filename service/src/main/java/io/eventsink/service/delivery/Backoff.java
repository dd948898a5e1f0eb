package io.eventsink.service.delivery;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for retrying single events: {@code base}, {@code 2 × base}, …
 * up to {@code max}, each drawn uniformly from its upper half so retries of one failed batch
 * spread out instead of arriving together.
 */
record Backoff(long baseMs, long maxMs) {

    static final Backoff DEFAULT = new Backoff(25, 1000);

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} (≥ 1) failed ones. */
    long delayMs(int attempts, RandomGenerator random) {
        long ceiling = Math.min(maxMs, baseMs << Math.min(Math.max(attempts, 1) - 1, 20));
        return random.nextLong(ceiling / 2, ceiling + 1);
    }
}
