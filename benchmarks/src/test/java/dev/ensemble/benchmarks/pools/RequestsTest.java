package dev.ensemble.benchmarks.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void countsTheWorkersThatServedABurstAndWhenEachBegan() throws Exception {
        Requests requests = new Requests(3);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            requests.sent(i, start);
        }
        // Request 0 on this thread, 1 and 2 on another one, after it.
        requests.handle(0, 0);
        Thread other = new Thread(() -> {
            requests.handle(1, 0);
            requests.handle(2, 0);
        });
        other.start();
        other.join(10_000);
        requests.await();

        assertEquals(2, requests.workers());
        long first = requests.nanosUntilWorkers(1);
        long second = requests.nanosUntilWorkers(2);
        assertTrue(first >= 0 && second >= first, "first " + first + ", second " + second);
        assertEquals(-1, requests.nanosUntilWorkers(3), "only two workers served");
    }
}
