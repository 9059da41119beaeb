package dev.ensemble.core.internal.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.supervision.ResizerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolResizerTest {
    private static final long MS = 1_000_000;
    /** Sample every 100 ms, decide over 300 ms, at most one resize per 500 ms, shrink under 30 % busy. */
    private static final ResizerSpec SPEC = ResizerSpec.between(1, 8)
            .withTiming(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500))
            .withShrinkAfter(Duration.ofMillis(300));

    private static PoolResizer.Decision feed(PoolResizer resizer, int size, long fromMs, int... queued) {
        PoolResizer.Decision last = null;
        for (int i = 0; i < queued.length; i++) {
            last = resizer.onSample(new PoolResizer.Sample((fromMs + 100L * i) * MS, queued[i], 0), size);
            if (i < queued.length - 1) {
                assertNull(last, "decided before the window was full, at sample " + i);
            }
        }
        return last;
    }

    @Test
    void aGrowingQueueDoublesThePoolOnceTheWindowIsFull() {
        PoolResizer.Decision decision = feed(new PoolResizer(SPEC), 2, 0, 2, 3, 3, 4);
        assertNotNull(decision);
        assertEquals(4, decision.target());
        assertEquals(7, feed(new PoolResizer(SPEC), 2, 0, 2, 4, 6, 7).target(), "a replica per waiting message");
        assertEquals(2, decision.queueGrowth());
        assertEquals(4, decision.queued());
        assertTrue(decision.reason().startsWith("queue grew by 2 to 4"), decision.reason());
    }

    @Test
    void lateTicksStillFillTheWindow() {
        PoolResizer resizer = new PoolResizer(SPEC);
        long[] at = {0, 101, 202, 303, 404};
        PoolResizer.Decision decision = null;
        for (int i = 0; i < at.length && decision == null; i++) {
            decision = resizer.onSample(new PoolResizer.Sample(at[i] * MS, 2 * (i + 1), 0), 2);
        }
        assertNotNull(decision, "ticks 1 ms late must not keep the window from filling");
        assertEquals(8, decision.target());
    }

    @Test
    void aQueueThatDrainsDoesNotGrowThePool() {
        assertNull(feed(new PoolResizer(SPEC), 2, 0, 9, 7, 5, 3));
    }

    @Test
    void growthStopsAtTheUpperBound() {
        PoolResizer.Decision decision = feed(new PoolResizer(SPEC), 6, 0, 10, 20, 30, 40);
        assertEquals(8, decision.target());
        assertNull(feed(new PoolResizer(SPEC), 8, 0, 10, 20, 30, 40), "never above the upper bound");
    }

    @Test
    void anIdlePoolShrinksStraightToTheLowerBoundButNeverBelow() {
        PoolResizer.Decision decision = feed(new PoolResizer(SPEC), 8, 0, 0, 0, 0, 0);
        assertEquals(1, decision.target());
        assertTrue(decision.reason().startsWith("idle"), decision.reason());
        assertNull(feed(new PoolResizer(SPEC), 1, 0, 0, 0, 0, 0), "never below the lower bound");
    }

    @Test
    void aPartlyBusyPoolShrinksToWhatItsBusyFractionNeeds() {
        PoolResizer resizer = new PoolResizer(SPEC);
        // 4 replicas, busy 15 % of 300 ms each: 180 ms of busy time over the window.
        resizer.onSample(new PoolResizer.Sample(0, 0, 0), 4);
        resizer.onSample(new PoolResizer.Sample(100 * MS, 0, 60 * MS), 4);
        resizer.onSample(new PoolResizer.Sample(200 * MS, 0, 120 * MS), 4);
        PoolResizer.Decision decision = resizer.onSample(new PoolResizer.Sample(300 * MS, 0, 180 * MS), 4);
        assertEquals(2, decision.target(), "ceil(4 * 0.15 / 0.3)");
        assertEquals(0.15, decision.busyFraction(), 1e-9);
    }

    @Test
    void theCoolDownHoldsTheNextResize() {
        PoolResizer resizer = new PoolResizer(SPEC);
        assertEquals(4, feed(resizer, 2, 0, 2, 3, 3, 4).target());
        resizer.resized(300 * MS);
        // Pressure goes on, but the next resize waits until 800 ms (300 + 500).
        assertNull(feed(resizer, 4, 400, 10, 12, 14));
        assertNull(resizer.onSample(new PoolResizer.Sample(700 * MS, 16, 0), 4), "still in the cool-down");
        PoolResizer.Decision after = resizer.onSample(new PoolResizer.Sample(800 * MS, 18, 0), 4);
        assertNotNull(after, "the cool-down is over");
        assertEquals(8, after.target());
    }

    @Test
    void aPoolGrowsOverTheWindowButShrinksOnlyAfterItHasBeenIdleLonger() {
        PoolResizer resizer = new PoolResizer(SPEC.withShrinkAfter(Duration.ofMillis(1000)));
        for (int i = 0; i < 10; i++) {
            assertNull(
                    resizer.onSample(new PoolResizer.Sample(i * 100 * MS, 0, 0), 4),
                    "idle for only " + i * 100 + " ms");
        }
        PoolResizer.Decision shrink = resizer.onSample(new PoolResizer.Sample(1000 * MS, 0, 0), 4);
        assertNotNull(shrink, "idle for 1000 ms");
        assertEquals(1, shrink.target());
        assertTrue(shrink.reason().startsWith("idle: nothing queued over 1000 ms"), shrink.reason());

        PoolResizer busy = new PoolResizer(SPEC.withShrinkAfter(Duration.ofMillis(1000)));
        assertEquals(8, feed(busy, 4, 0, 4, 6, 8, 10).target(), "growth needs only the 300 ms window");
    }

    @Test
    void anArrivalGrowsThePoolAtOnceWhenMoreThanTheThresholdWaitsPerReplica() {
        PoolResizer resizer = new PoolResizer(SPEC.withArrivalThreshold(4));
        // No tick yet: an arrival decides without a window.
        PoolResizer.Decision decision = resizer.onArrival(new PoolResizer.Sample(10 * MS, 5, 0), 1, 5);
        assertNotNull(decision);
        assertEquals(5, decision.target(), "a replica per waiting message");
        assertEquals(5, decision.queued());
        assertTrue(
                decision.reason()
                        .startsWith("arrival: 5 waiting in the replica a message was routed to, 5 in 1 replica"),
                decision.reason());
        // Measured against the last tick's sample: growth and busy fraction since.
        PoolResizer ticked = new PoolResizer(SPEC.withArrivalThreshold(4));
        ticked.onSample(new PoolResizer.Sample(0, 2, 0), 2);
        PoolResizer.Decision since = ticked.onArrival(new PoolResizer.Sample(50 * MS, 9, 100 * MS), 2, 6);
        assertEquals(8, since.target(), "9 waiting, but 8 is the upper bound");
        assertEquals(7, since.queueGrowth());
        assertEquals(1.0, since.busyFraction(), 1e-9);
    }

    @Test
    void anArrivalDoesNotGrowForOneReplicasBacklogOrPastTheBound() {
        PoolResizer resizer = new PoolResizer(SPEC.withArrivalThreshold(4));
        assertNull(resizer.onArrival(new PoolResizer.Sample(0, 12, 0), 4, 12), "4 replicas, 12 waiting: 3 each");
        assertNull(resizer.onArrival(new PoolResizer.Sample(0, 80, 0), 8, 10), "at the upper bound");
        assertEquals(
                8, resizer.onArrival(new PoolResizer.Sample(0, 17, 0), 4, 5).target());
        assertNull(
                new PoolResizer(SPEC.withArrivalThreshold(0)).onArrival(new PoolResizer.Sample(0, 100, 0), 1, 100),
                "threshold 0: samples only");
    }

    /*
     * This test used to require that an arrival in the cool-down grew nothing (40 waiting in 4
     * replicas at 499 ms). That let a tick's step from 1 to 2 on a single waiting message keep a
     * burst at 2 replicas for a whole cool-down. The cool-down now holds the ticks' decisions
     * (below) and shrinking, not growth on arrival above the threshold at the size the last step made.
     */
    @Test
    void aTicksSmallStepDoesNotHoldBackTheArrivalsOfTheBurstBehindIt() {
        ResizerSpec spec = ResizerSpec.between(1, 16)
                .withTiming(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500))
                .withShrinkAfter(Duration.ofMillis(300))
                .withArrivalThreshold(8);
        PoolResizer resizer = new PoolResizer(spec);
        // One message waits over the window: the tick grows the pool from 1 to 2.
        PoolResizer.Decision tick = feed(resizer, 1, 0, 1, 1, 1, 1);
        assertEquals(2, tick.target());
        resizer.resized(300 * MS);
        // The burst arrives 1 ms later, deep inside the cool-down.
        assertNull(
                resizer.onArrival(new PoolResizer.Sample(301 * MS, 16, 0), 2, 16),
                "8 per replica is not above the threshold at the size the step made");
        PoolResizer.Decision arrival = resizer.onArrival(new PoolResizer.Sample(301 * MS, 17, 0), 2, 17);
        assertNotNull(arrival, "17 waiting in 2 replicas: more than the step was sized for");
        assertEquals(16, arrival.target(), "a replica per waiting message, up to the upper bound");
        assertTrue(arrival.reason().startsWith("arrival: 17 waiting"), arrival.reason());
        resizer.resized(302 * MS);
        assertNull(resizer.onArrival(new PoolResizer.Sample(303 * MS, 400, 0), 16, 100), "never above the upper bound");
    }

    @Test
    void theCoolDownStillHoldsTheTicksSmallStepsAndShrinking() {
        PoolResizer resizer = new PoolResizer(SPEC.withArrivalThreshold(4));
        assertEquals(5, resizer.onArrival(new PoolResizer.Sample(0, 5, 0), 1, 5).target());
        resizer.resized(0);
        // The queue holds at one message per replica: a tick would grow, but not in the cool-down.
        assertNull(feed(resizer, 5, 0, 5, 5, 5, 5), "a held queue grows nothing in the cool-down");
        assertEquals(
                8, resizer.onSample(new PoolResizer.Sample(500 * MS, 5, 0), 5).target(), "the cool-down is over");
        PoolResizer idle = new PoolResizer(SPEC.withArrivalThreshold(4));
        assertEquals(8, idle.onArrival(new PoolResizer.Sample(0, 17, 0), 4, 17).target());
        idle.resized(0);
        // Idle right after growing: past shrinkAfter (300 ms), still inside the cool-down (500 ms).
        assertNull(feed(idle, 8, 0, 0, 0, 0, 0, 0), "no shrink in the cool-down after a growth");
        PoolResizer.Decision shrink = idle.onSample(new PoolResizer.Sample(500 * MS, 0, 0), 8);
        assertNotNull(shrink, "the cool-down is over");
        assertEquals(1, shrink.target());
    }

    @Test
    void impossibleBoundsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SPEC.withArrivalThreshold(-1));
        assertThrows(IllegalArgumentException.class, () -> ResizerSpec.between(0, 4));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ResizerSpec.between(5, 4));
        assertTrue(error.getMessage().contains("lower 5, upper 4"), error.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> SPEC.withTiming(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ZERO));
    }
}
