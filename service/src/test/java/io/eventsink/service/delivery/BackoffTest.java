package io.eventsink.service.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheBaseUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(25, 1000);
        SplittableRandom random = new SplittableRandom(42);
        long[] ceilings = {25, 50, 100, 200, 400, 800, 1000, 1000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                long d = backoff.delayMs(attempt, random);
                assertThat(d).as("attempt " + attempt).isBetween(ceilings[attempt - 1] / 2, ceilings[attempt - 1]);
            }
        }
    }

    @Test
    void neverOverflowsForManyAttempts() {
        assertThat(new Backoff(25, 1000).delayMs(10_000, new SplittableRandom(1)))
                .isBetween(500L, 1000L);
    }
}
