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
            .withTiming(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500));

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
        PoolResizer.Decision decision = feed(new PoolResizer(SPEC), 2, 0, 2, 4, 6, 9);
        assertNotNull(decision);
        assertEquals(4, decision.target());
        assertEquals(7, decision.queueGrowth());
        assertEquals(9, decision.queued());
        assertTrue(decision.reason().startsWith("queue grew by 7 to 9"), decision.reason());
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
        assertEquals(4, feed(resizer, 2, 0, 2, 4, 6, 9).target());
        resizer.resized(300 * MS);
        // Pressure goes on, but the next resize waits until 800 ms (300 + 500).
        assertNull(feed(resizer, 4, 400, 10, 12, 14));
        assertNull(resizer.onSample(new PoolResizer.Sample(700 * MS, 16, 0), 4), "still in the cool-down");
        PoolResizer.Decision after = resizer.onSample(new PoolResizer.Sample(800 * MS, 18, 0), 4);
        assertNotNull(after, "the cool-down is over");
        assertEquals(8, after.target());
    }

    @Test
    void impossibleBoundsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ResizerSpec.between(0, 4));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ResizerSpec.between(5, 4));
        assertTrue(error.getMessage().contains("lower 5, upper 4"), error.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> SPEC.withTiming(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ZERO));
    }
}
