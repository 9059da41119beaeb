package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static List<Long> delaysMillis(Backoff backoff, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(backoff.delay(i).toMillis());
        }
        return delays;
    }

    @Test
    void doublesFromTheMinimumUpToTheMaximumWithoutJitter() {
        Backoff backoff = new Backoff(MIN, MAX, 0.5, () -> 0.0);
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), delaysMillis(backoff, 9));
    }

    @Test
    void jitterShortensEachDelayByAtMostItsFraction() {
        Backoff backoff = new Backoff(MIN, MAX, 0.5, () -> 1.0);
        assertEquals(List.of(125L, 250L, 500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L), delaysMillis(backoff, 9));
    }

    @Test
    void manyFailuresDoNotOverflow() {
        Backoff backoff = new Backoff(MIN, MAX, 0.0, () -> 0.7);
        assertEquals(MAX, backoff.delay(Integer.MAX_VALUE));
    }
}
