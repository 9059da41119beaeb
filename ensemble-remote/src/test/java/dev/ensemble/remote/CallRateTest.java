package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-node call rate's token bucket, with a manual clock. */
class CallRateTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBurstGoesAtOnceThenCallsFollowTheRate() {
        CallRate rate = new CallRate(100, 3, 0);
        assertTrue(rate.tryTake(0));
        assertTrue(rate.tryTake(0));
        assertTrue(rate.tryTake(0));
        assertFalse(rate.tryTake(0), "the burst is spent");
        assertFalse(rate.tryTake(9 * MS), "100 a second: one every 10 ms");
        assertTrue(rate.tryTake(10 * MS));
        assertFalse(rate.tryTake(10 * MS));
    }

    @Test
    void aLongSilenceRefillsOnlyUpToTheBurst() {
        CallRate rate = new CallRate(100, 2, 0);
        assertTrue(rate.tryTake(0));
        assertTrue(rate.tryTake(0));
        long later = 60_000 * MS;
        assertTrue(rate.tryTake(later));
        assertTrue(rate.tryTake(later));
        assertFalse(rate.tryTake(later), "no more than the burst after a minute of silence");
        assertFalse(rate.tryTake(later - 5 * MS), "a clock that goes back adds nothing");
    }
}
