package dev.ensemble.benchmarks.piano;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GcActivityTest {
    @Test
    void countsACollectionBetweenTwoReadings() {
        GcActivity before = GcActivity.now();
        System.gc();
        GcActivity during = GcActivity.now().since(before);
        assertTrue(during.collections() >= 1, "System.gc() collected, but the beans counted " + during);
        assertTrue(during.millis() >= 0, during::toString);
    }

    @Test
    void addsAndSubtracts() {
        GcActivity a = new GcActivity(3, 40);
        GcActivity b = new GcActivity(1, 5);
        assertEquals(new GcActivity(4, 45), a.plus(b));
        assertEquals(new GcActivity(2, 35), a.since(b));
        assertEquals("3 collections, 40 ms", a.toString());
    }
}
