package dev.ensemble.core.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timers alone: a scheduler the test fires by hand, and a mailbox that only records. */
class TimersTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingInstance actor = new RecordingInstance();
    private final Timers timers = new Timers(scheduler, actor);
    private final List<String> ran = new ArrayList<>();

    @Test
    void aOneShotTimerFiresIntoItsInstancesTurnOnceAndIsThenForgotten() {
        Cancellable timer = timers.scheduleOnce(3, Duration.ofMillis(250), () -> ran.add("once"));
        assertEquals(1, scheduler.scheduled.size());
        assertEquals(Duration.ofMillis(250).toNanos(), scheduler.scheduled.get(0).delayNanos);
        assertEquals(0, scheduler.scheduled.get(0).periodNanos);

        scheduler.scheduled.get(0).fire();
        assertEquals(List.of(), ran, "firing only enqueues; the task runs in the actor's turn");
        assertEquals(1, actor.mailbox.size());
        assertEquals("timer", actor.mailbox.get(0).name());
        assertEquals(3, actor.mailbox.get(0).generation());

        actor.runTurn(0);
        assertEquals(List.of("once"), ran);
        assertEquals(0, timers.liveCount(), "a one-shot timer that ran must not stay in the instance's set");
        assertFalse(timer.cancel(), "a one-shot timer that ran can no longer be cancelled");
    }

    @Test
    void aTimerCancelledBeforeItsTurnNeverRunsEvenIfItAlreadyFired() {
        Cancellable beforeFiring = timers.scheduleOnce(1, Duration.ofSeconds(1), () -> ran.add("before"));
        Cancellable afterFiring = timers.scheduleOnce(1, Duration.ofSeconds(1), () -> ran.add("after"));
        scheduler.scheduled.get(1).fire();

        assertTrue(beforeFiring.cancel());
        assertTrue(afterFiring.cancel());
        assertTrue(beforeFiring.isCancelled());
        assertFalse(beforeFiring.cancel(), "cancelling twice reports false the second time");
        assertTrue(scheduler.scheduled.get(0).isCancelled(), "the scheduled task itself must be cancelled");
        actor.runTurn(0);
        assertEquals(List.of(), ran);
        assertEquals(0, timers.liveCount());
    }

    @Test
    void periodicTicksDoNotPileUpWhileOneWaitsInTheMailbox() {
        timers.scheduleAtFixedRate(2, Duration.ZERO, Duration.ofMillis(10), () -> ran.add("tick"));
        ManualScheduler.Entry entry = scheduler.scheduled.get(0);
        assertEquals(Duration.ofMillis(10).toNanos(), entry.periodNanos);

        entry.fire();
        entry.fire();
        entry.fire();
        assertEquals(1, actor.mailbox.size(), "three ticks while the actor was busy are one waiting turn");
        assertEquals("periodic timer", actor.mailbox.get(0).name());

        actor.runTurn(0);
        entry.fire();
        assertEquals(2, actor.mailbox.size());
        actor.runTurn(1);
        assertEquals(List.of("tick", "tick"), ran);
        assertEquals(1, timers.liveCount(), "a periodic timer stays until cancelled");
    }

    @Test
    void theEndOfTheInstanceCancelsEveryTimerItSet() {
        Cancellable once = timers.scheduleOnce(5, Duration.ofSeconds(1), () -> ran.add("once"));
        Cancellable periodic =
                timers.scheduleAtFixedRate(5, Duration.ofSeconds(1), Duration.ofSeconds(1), () -> ran.add("tick"));
        scheduler.scheduled.get(1).fire();

        timers.cancelAll();
        assertTrue(once.isCancelled());
        assertTrue(periodic.isCancelled());
        assertTrue(scheduler.scheduled.get(0).isCancelled());
        assertTrue(scheduler.scheduled.get(1).isCancelled());
        actor.runTurn(0);
        assertEquals(List.of(), ran, "a tick that was already waiting must not run after its instance ended");
        assertEquals(0, timers.liveCount());
    }

    @Test
    void aCancelFromAnotherThreadLeavesTheSetToTheTurn() {
        Cancellable timer = timers.scheduleOnce(1, Duration.ofSeconds(1), () -> ran.add("once"));
        actor.inTurn = false;
        assertTrue(timer.cancel());
        assertEquals(1, timers.liveCount(), "only the turn may change the instance's set of timers");
        actor.inTurn = true;
        timers.cancelAll();
        assertEquals(0, timers.liveCount());
    }

    @Test
    void negativeDelaysAndEmptyPeriodsAreRefusedWithTheValue() {
        Runnable task = () -> {};
        assertEquals(
                "delay must not be negative, but was PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> timers.scheduleOnce(1, Duration.ofMillis(-1), task))
                        .getMessage());
        assertEquals(
                "period must be positive, but was PT0S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> timers.scheduleAtFixedRate(1, Duration.ZERO, Duration.ZERO, task))
                        .getMessage());
        assertEquals(0, scheduler.scheduled.size());
        assertEquals(0, timers.liveCount());
    }

    @Test
    void aTimerSetAfterTheSystemsTimerStoppedIsCancelledInsteadOfThrowing() {
        scheduler.shutdown();
        Cancellable once = timers.scheduleOnce(1, Duration.ofSeconds(1), () -> ran.add("once"));
        Cancellable periodic =
                timers.scheduleAtFixedRate(1, Duration.ZERO, Duration.ofSeconds(1), () -> ran.add("tick"));
        assertTrue(once.isCancelled(), "a timer that can never fire must say so");
        assertTrue(periodic.isCancelled());
        assertFalse(once.cancel());
        assertEquals(0, timers.liveCount());
        assertEquals(List.of(), ran);
    }
}
