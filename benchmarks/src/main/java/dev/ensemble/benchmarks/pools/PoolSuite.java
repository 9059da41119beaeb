package dev.ensemble.benchmarks.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * The pools suite: ensemble-core's pool against Pekko's classic router pool with its
 * {@code DefaultResizer}, both with workers on their own threads blocking 2 ms per request (as
 * on I/O), bounds 1 to 16. Bursts of requests arrive faster than one worker serves them (500
 * requests at one every 0.5 ms: four times one worker's rate), then the pools stay idle for 10 s
 * with no message. Each runtime runs one burst on a throwaway pool first, to warm up its code.
 *
 * <p>Prints the time to finish a burst (mean over the bursts; at least the 250 ms the burst takes
 * to arrive) and the part of it after the last request arrived (the backlog), the 99th percentile
 * of the time
 * requests waited before a worker began them, the pool's size after the idle time, and a message
 * through a supervisor's route against a direct tell.
 *
 * <pre>
 * benchmarks/run pools [--quick]
 * </pre>
 */
public final class PoolSuite {
    private static final long BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long INTER_ARRIVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final int BURSTS = 4;
    private static final int PER_BURST = 500;
    private static final long GAP_MILLIS = 500;

    /** What one runtime measured. */
    private record Measured(double burstMillis, double drainMillis, double waitP99Millis, int sizeAfterIdle) {}

    private PoolSuite() {}

    /**
     * @param args {@code [--quick]}: 3 s of idle time instead of 10
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        long idleMillis = quick ? 3_000 : 10_000;
        Measured pekko = run(PekkoPool::new, idleMillis);
        Measured ours = run(OursPool::new, idleMillis);
        BusThroughput.Result bus = BusThroughput.measure(quick ? 200_000 : 1_000_000, quick ? 3 : 5);

        print("result pool-burst-completion-ms-ours %.1f", ours.burstMillis());
        print("result pool-burst-completion-ms-pekko %.1f", pekko.burstMillis());
        print("result pool-burst-drain-ms-ours %.1f", ours.drainMillis());
        print("result pool-burst-drain-ms-pekko %.1f", pekko.drainMillis());
        print("result pool-wait-p99-ms-ours %.1f", ours.waitP99Millis());
        print("result pool-wait-p99-ms-pekko %.1f", pekko.waitP99Millis());
        print("result pool-size-after-idle-ours %d", ours.sizeAfterIdle());
        print("result pool-size-after-idle-pekko %d", pekko.sizeAfterIdle());
        print("result bus-routed-throughput %.0f messages/s", bus.routed());
        print("result direct-tell-throughput %.0f messages/s", bus.direct());
        print("ratio pool-burst-completion-vs-pekko %.2f", ours.burstMillis() / pekko.burstMillis());
        print("ratio pool-burst-drain-vs-pekko %.2f", ours.drainMillis() / pekko.drainMillis());
        print("ratio pool-wait-p99-vs-pekko %.2f", ours.waitP99Millis() / pekko.waitP99Millis());
        print("ratio bus-routed-vs-direct-throughput %.2f", bus.routed() / bus.direct());
    }

    private static void print(String format, Object... values) {
        System.out.println(String.format(Locale.ROOT, format, values));
    }

    private static Measured run(LongFunction<PooledRuntime> runtime, long idleMillis) throws Exception {
        try (PooledRuntime warmup = runtime.apply(BLOCK_NANOS)) {
            burst(warmup);
        }
        try (PooledRuntime pool = runtime.apply(BLOCK_NANOS)) {
            double totalMillis = 0;
            double drainMillis = 0;
            List<long[]> waits = new ArrayList<>();
            for (int b = 0; b < BURSTS; b++) {
                Burst burst = burst(pool);
                totalMillis += burst.completionMillis();
                drainMillis += burst.drainMillis();
                waits.add(burst.requests().sortedWaits());
                Thread.sleep(GAP_MILLIS);
            }
            Thread.sleep(idleMillis);
            return new Measured(totalMillis / BURSTS, drainMillis / BURSTS, p99Millis(waits), pool.size());
        }
    }

    /**
     * A burst sent and finished: how long from its first send to its last completion (at least the
     * 250 ms its requests take to arrive), and from its last send to its last completion (the
     * backlog left when the last request arrived).
     */
    private record Burst(Requests requests, double completionMillis, double drainMillis) {}

    private static Burst burst(PooledRuntime pool) throws InterruptedException {
        Requests requests = new Requests(PER_BURST);
        long started = System.nanoTime();
        for (int i = 0; i < PER_BURST; i++) {
            long due = started + i * INTER_ARRIVAL_NANOS;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            requests.sent(i, now);
            pool.send(requests, i);
        }
        long lastSent = requests.sentAt(PER_BURST - 1);
        requests.await();
        long finished = System.nanoTime();
        return new Burst(requests, (finished - started) / 1e6, (finished - lastSent) / 1e6);
    }

    private static double p99Millis(List<long[]> waits) {
        long[] all =
                waits.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        return all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6;
    }
}
