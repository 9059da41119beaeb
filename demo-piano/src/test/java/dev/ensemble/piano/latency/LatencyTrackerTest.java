package dev.ensemble.piano.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void averagesOnlyTheLastWindowOfSamples() {
        LatencyTracker tracker = new LatencyTracker(4);
        for (long sample : new long[] {100, 100, 10, 20, 30, 40}) {
            tracker.record("bob", ms(sample));
        }
        assertEquals(Optional.of(ms(25)), tracker.average("bob"));
        assertEquals(6, tracker.sampleCount("bob"));
    }

    @Test
    void percentilesCoverEverySampleByNearestRank() {
        LatencyTracker tracker = new LatencyTracker(2);
        for (int i = 1; i <= 100; i++) {
            tracker.record("bob", ms(i));
        }
        assertEquals(Optional.of(ms(50)), tracker.percentile("bob", 50));
        assertEquals(Optional.of(ms(99)), tracker.percentile("bob", 99));
        assertEquals(Optional.of(ms(100)), tracker.percentile("bob", 100));
        assertEquals(Optional.empty(), tracker.percentile("nobody", 50));
    }

    @Test
    void feedsTheCompensationWithAveragesOfPeersStillPresent() {
        LatencyTracker tracker = new LatencyTracker(8);
        tracker.record("bob", ms(20));
        tracker.record("bob", ms(40));
        tracker.record("carol", ms(50));
        assertEquals(ms(50), tracker.compensation().ownDelay());
        assertEquals(ms(20), tracker.compensation().delayFor("bob"));

        tracker.forget("carol");
        assertEquals(ms(30), tracker.compensation().ownDelay());
        assertTrue(tracker.percentile("carol", 50).isPresent(), "the summary keeps a departed peer's samples");
    }

    @Test
    void countsANegativeSampleAsZero() {
        LatencyTracker tracker = new LatencyTracker(8);
        tracker.record("bob", ms(-5));
        assertEquals(Optional.of(Duration.ZERO), tracker.average("bob"));
    }

    @Test
    void rejectsAnEmptyWindowAndABadPercentile() {
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class, () -> new LatencyTracker(0));
        assertEquals("the rolling window must hold at least 1 sample, but was 0", window.getMessage());
        IllegalArgumentException percentile =
                assertThrows(IllegalArgumentException.class, () -> new LatencyTracker(1).percentile("bob", 101));
        assertEquals("a percentile must be 0 to 100, but was 101.0", percentile.getMessage());
    }
}
