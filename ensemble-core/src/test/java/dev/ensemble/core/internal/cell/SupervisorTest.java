package dev.ensemble.core.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.supervision.SupervisorStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart decisions alone, on a clock the test moves by hand. */
class SupervisorTest {
    private long now = 1_000_000_000L;
    /** The random draw, pinned: 0 means no shortening. */
    private double random = 0.0;

    private Supervisor supervisor(SupervisorStrategy strategy) {
        return new Supervisor(strategy, () -> now, () -> random);
    }

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    void theStopStrategyStopsAtTheFirstFailure() {
        Supervisor supervisor = supervisor(SupervisorStrategy.stop());
        assertEquals(new Supervisor.Stop("its supervision strategy is stop"), supervisor.onFailure());
    }

    @Test
    void oneFailureMoreThanTheIntensityAllowsStopsTheActor() {
        Supervisor supervisor = supervisor(SupervisorStrategy.restart().withLimit(2, Duration.ofSeconds(10)));
        assertEquals(new Supervisor.Restart(0), supervisor.onFailure());
        supervisor.restarted();
        advance(Duration.ofSeconds(4));
        assertEquals(new Supervisor.Restart(0), supervisor.onFailure());
        supervisor.restarted();
        advance(Duration.ofSeconds(4));
        assertEquals(new Supervisor.Stop("more than 2 restarts within PT10S"), supervisor.onFailure());
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCount() {
        Supervisor supervisor = supervisor(SupervisorStrategy.restart());
        assertEquals(new Supervisor.Restart(0), supervisor.onFailure());
        supervisor.restarted();
        advance(Duration.ofSeconds(5).plusNanos(1));
        assertEquals(
                new Supervisor.Restart(0),
                supervisor.onFailure(),
                "the first restart left the 5 s window, so a second one is allowed");
        supervisor.restarted();
        advance(Duration.ofSeconds(1));
        assertEquals(new Supervisor.Stop("more than 1 restarts within PT5S"), supervisor.onFailure());
    }

    @Test
    void theBackoffGrowsWithConsecutiveRestartsAndResetsAfterAWindowWithoutFailure() {
        Supervisor supervisor = supervisor(SupervisorStrategy.restart()
                .withLimit(100, Duration.ofSeconds(10))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 0));
        long[] expectedMillis = {100, 200, 400, 400};
        for (long expected : expectedMillis) {
            assertEquals(new Supervisor.Restart(Duration.ofMillis(expected).toNanos()), supervisor.onFailure());
            advance(Duration.ofMillis(expected));
            supervisor.restarted();
            advance(Duration.ofSeconds(1));
        }
        advance(Duration.ofSeconds(10));
        assertEquals(
                new Supervisor.Restart(Duration.ofMillis(100).toNanos()),
                supervisor.onFailure(),
                "after running for a whole window without failing, the backoff starts again from its minimum");
    }

    @Test
    void theBackoffDoublesFromMinUpToMaxAndTheJitterOnlyShortensIt() {
        SupervisorStrategy strategy =
                SupervisorStrategy.restart().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.2);
        long[] doubling = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int n = 1; n <= doubling.length; n++) {
            long full = Duration.ofMillis(doubling[n - 1]).toNanos();
            assertEquals(full, Supervisor.backoffNanos(strategy, n, 0.0), "restart " + n + ", r = 0");
            assertEquals(full / 10 * 9, Supervisor.backoffNanos(strategy, n, 0.5), "restart " + n + ", r = 0.5");
            long shortest = Supervisor.backoffNanos(strategy, n, Math.nextDown(1.0));
            assertTrue(
                    shortest >= full / 10 * 8 && shortest < full,
                    "restart " + n + ": with r close to 1 the delay must be about 80 % of " + full + " ns, was "
                            + shortest);
        }
        assertEquals(
                Duration.ofSeconds(2).toNanos(),
                Supervisor.backoffNanos(strategy, Integer.MAX_VALUE, 0.0),
                "a long run of restarts must stay at max, not overflow");
    }

    @Test
    void aZeroMinimumMeansNoDelayWhateverTheJitter() {
        SupervisorStrategy strategy = SupervisorStrategy.restart().withBackoff(Duration.ZERO, Duration.ofSeconds(1), 1);
        assertEquals(0, Supervisor.backoffNanos(strategy, 1, 0.5));
        assertEquals(0, Supervisor.backoffNanos(strategy, 20, 0.0));
    }

    @Test
    void eachRestartDrawsItsOwnJitter() {
        Supervisor supervisor = supervisor(SupervisorStrategy.restart()
                .withLimit(10, Duration.ofSeconds(60))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.2));
        random = 0.5;
        assertEquals(new Supervisor.Restart(Duration.ofMillis(90).toNanos()), supervisor.onFailure());
        supervisor.restarted();
        random = 0.0;
        assertEquals(new Supervisor.Restart(Duration.ofMillis(200).toNanos()), supervisor.onFailure());
    }

    @Test
    void aJitterOutsideZeroToOneIsRefused() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> SupervisorStrategy.restart().withBackoff(Duration.ofMillis(1), Duration.ofMillis(2), 1.5));
        assertEquals("jitter must be between 0 and 1, but was 1.5", error.getMessage());
    }
}
