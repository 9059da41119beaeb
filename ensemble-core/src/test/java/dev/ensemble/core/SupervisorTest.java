package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.supervision.SupervisorStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart decisions alone, on a clock the test moves by hand. */
class SupervisorTest {
    private long now = 1_000_000_000L;

    private Supervisor supervisor(SupervisorStrategy strategy) {
        return new Supervisor(strategy, () -> now, () -> 0.0);
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
}
