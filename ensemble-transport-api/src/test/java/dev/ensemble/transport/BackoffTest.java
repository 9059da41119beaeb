package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static List<Long> delaysMillis(Backoff backoff, int retries) {
        List<Long> delays = new ArrayList<>();
        for (int retry = 1; retry <= retries; retry++) {
            delays.add(backoff.delay(retry).toMillis());
        }
        return delays;
    }

    @Test
    void doublesFromTheMinimumUpToTheMaximumWhenTheRandomFractionIsZero() {
        Backoff backoff = Backoff.of(MIN, MAX, 0.5).withRandom(() -> 0.0);
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), delaysMillis(backoff, 9));
    }

    @Test
    void jitterShortensEachDelayByItsFractionTimesTheRandomDraw() {
        Backoff half = Backoff.of(MIN, MAX, 0.5).withRandom(() -> 0.5);
        // The class comment's worked example: retry 3 waits 1 s * (1 - 0.5 * 0.5).
        assertEquals(Duration.ofMillis(750), half.delay(3));
        assertEquals(List.of(187L, 375L, 750L, 1500L, 3000L, 6000L, 12000L, 22500L, 22500L), delaysMillis(half, 9));
        Backoff almostAll = Backoff.of(MIN, MAX, 1.0).withRandom(() -> 0.999);
        assertEquals(Duration.ofNanos(250_000), almostAll.delay(1), "1 - 0.999 of 250 ms");
    }

    @Test
    void aZeroMinimumMeansNoDelayAtAnyRetry() {
        Backoff none = Backoff.of(Duration.ZERO, MAX, 0.5).withRandom(() -> 0.3);
        assertEquals(Duration.ZERO, none.delay(1));
        assertEquals(Duration.ZERO, none.delay(Integer.MAX_VALUE));
    }

    @Test
    void manyRetriesDoNotOverflow() {
        Backoff backoff = Backoff.of(MIN, MAX, 0.0).withRandom(() -> 0.7);
        assertEquals(MAX, backoff.delay(Integer.MAX_VALUE));
        Backoff huge = Backoff.of(Duration.ofDays(1), Duration.ofDays(365 * 200), 0.0);
        assertEquals(Duration.ofDays(365 * 200), huge.delay(1_000));
    }

    @Test
    void theDefaultRandomSourceStaysWithinTheRule() {
        Backoff backoff = Backoff.of(MIN, MAX, 0.5);
        for (int i = 0; i < 1_000; i++) {
            Duration delay = backoff.delay(2);
            assertEquals(
                    true,
                    delay.compareTo(Duration.ofMillis(250)) > 0 && delay.compareTo(Duration.ofMillis(500)) <= 0,
                    "retry 2 waits in (250 ms, 500 ms] but waited " + delay);
        }
    }

    @Test
    void rejectsValuesOutsideTheRuleNamingTheRuleAndTheValue() {
        assertEquals(
                "backoff min must be zero (no delay) or positive but is PT-1S",
                assertThrows(IllegalArgumentException.class, () -> Backoff.of(Duration.ofSeconds(-1), MAX, 0.5))
                        .getMessage());
        assertEquals(
                "backoff max must be at least min (PT2S) but is PT1S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5))
                        .getMessage());
        assertEquals(
                "backoff jitter must be a fraction from 0 (none) to 1 (down to no delay) but is 1.5",
                assertThrows(IllegalArgumentException.class, () -> Backoff.of(MIN, MAX, 1.5))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backoff.of(MIN, MAX, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Backoff.of(MIN, Duration.ofDays(365L * 300), 0.5));
        assertEquals(
                "retries are counted from 1 (the first retry) but retry is 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Backoff.of(MIN, MAX, 0.5).delay(0))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Backoff.of(MIN, MAX, 0.5).withRandom(() -> 1.0).delay(1));
    }

    @Test
    void equalByItsRuleNotItsRandomSource() {
        Backoff backoff = Backoff.of(MIN, MAX, 0.5);
        assertEquals(backoff, backoff.withRandom(() -> 0.1));
        assertEquals(backoff.hashCode(), backoff.withRandom(() -> 0.1).hashCode());
        assertNotEquals(backoff, Backoff.of(MIN, MAX, 0.4));
        assertEquals("Backoff[PT0.25S doubling to PT30S, jitter 0.5]", backoff.toString());
    }
}
