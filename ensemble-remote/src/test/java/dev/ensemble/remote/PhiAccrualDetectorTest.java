package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The detector on a manual clock: no threads, no sleeps. */
class PhiAccrualDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    private static PhiAccrualDetector defaults() {
        return new PhiAccrualDetector(10, 200, 10 * S, 100 * MS, 1 * S);
    }

    @Test
    void regularHeartbeatsKeepTheNodeAvailableUntilThePauseIsOver() {
        PhiAccrualDetector detector = defaults();
        long now = 0;
        for (int i = 0; i < 30; i++) {
            detector.heartbeat(now);
            assertTrue(detector.phi(now + S) < 0.01, "on time: phi " + detector.phi(now + S));
            now += S;
        }
        long last = now - S;
        assertTrue(detector.isAvailable(last + 10 * S), "within the acceptable pause");
        assertTrue(detector.phi(last + 11_100 * MS) > 0.5, "suspicion rises past the mean plus pause");
        assertFalse(detector.isAvailable(last + 12 * S), "down about 12 s after the last heartbeat");
        double previous = 0;
        for (long t = last; t < last + 20 * S; t += 50 * MS) {
            double phi = detector.phi(t);
            assertTrue(phi >= previous, "phi never falls while silence grows");
            previous = phi;
        }
    }

    @Test
    void jitteryHeartbeatsAreSuspectedLater() {
        PhiAccrualDetector regular = defaults();
        PhiAccrualDetector jittery = defaults();
        SplittableRandom random = new SplittableRandom(7);
        long a = 0;
        long b = 0;
        for (int i = 0; i < 100; i++) {
            a += S;
            b += 200 * MS + random.nextLong(1600 * MS);
            regular.heartbeat(a);
            jittery.heartbeat(b);
        }
        long silence = 11_500 * MS;
        assertTrue(
                jittery.phi(b + silence) < regular.phi(a + silence),
                "the same silence is less suspicious after irregular heartbeats");
    }

    @Test
    void beforeAnyHeartbeatAndAfterAResetNothingIsSuspected() {
        PhiAccrualDetector detector = defaults();
        assertEquals(0.0, detector.phi(100 * S));
        detector.heartbeat(0);
        assertFalse(detector.isAvailable(60 * S));
        detector.reset();
        assertEquals(0.0, detector.phi(120 * S));
        detector.heartbeat(120 * S);
        assertTrue(detector.isAvailable(121 * S), "a fresh history after the node came back");
    }

    @Test
    void withoutAPauseALateHeartbeatIsSuspectedWithinAFewDeviations() {
        PhiAccrualDetector strict = new PhiAccrualDetector(8, 100, 0, 100 * MS, 1 * S);
        long now = 0;
        for (int i = 0; i < 20; i++) {
            strict.heartbeat(now);
            now += S;
        }
        long last = now - S;
        assertTrue(strict.isAvailable(last + S), "on time");
        assertFalse(strict.isAvailable(last + 2 * S), "a whole interval late, with a 100 ms deviation");
    }
}
