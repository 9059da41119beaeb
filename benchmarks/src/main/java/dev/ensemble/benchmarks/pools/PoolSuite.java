package dev.ensemble.benchmarks.pools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * The pools suite: ensemble-core's pool against Pekko's classic router pool with its
 * {@code DefaultResizer}, both with workers on their own threads blocking 2 ms per request (as
 * on I/O), bounds 1 to 16. Four bursts of 500 requests arrive at one every 50 µs (forty times
 * one worker's rate, two and a half times sixteen workers'), each on a new pool of one replica,
 * so that each burst measures how soon a pool grows: a burst is 1 s of one worker's work, 62.5
 * ms of sixteen workers', and the requests are routed as they arrive, so what a pool has not
 * grown by then stays queued on the replicas it had. After the last burst that pool stays idle
 * for 10 s with no message. Each runtime runs three bursts on throwaway pools first, to warm up its
 * code.
 *
 * <p>Prints each burst (its time to finish, how many workers served it, and when its 2nd, 4th,
 * 8th and 16th workers began their first request), the time to finish a burst (mean and median
 * over the bursts), the part of it after the last request arrived (the backlog), the median time
 * at which a burst's 8th and 16th workers began (-1: the median burst had fewer),
 * the 99th percentile of the time requests waited before a worker began them, the pool's size
 * after the idle time, and a message through a supervisor's route against a direct tell.
 *
 * <pre>
 * benchmarks/run pools [--quick]
 * </pre>
 */
public final class PoolSuite {
    private static final long BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * Until 2026-12-06 one every 500 µs: a burst then took 250 ms to arrive, and any pool that kept
     * up finished about 2 ms after its last request, so the completion ratio could not go below
     * about 0.96 whatever the resizer did (docs/BENCHMARKS.md, "A burst that outruns the pool").
     */
    private static final long INTER_ARRIVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final int BURSTS = 4;
    /**
     * Bursts on throwaway pools before the measured ones. With one, the first measured burst of
     * either runtime was its slowest (ours 266 to 299 ms against 147 to 181 for the other three,
     * its second worker beginning at 4.4 to 6.7 ms against 2.2; Pekko's likewise), and the p99
     * wait, which the slowest burst decides, measured that warm-up.
     */
    private static final int WARM_UP_BURSTS = 3;

    private static final int PER_BURST = 500;
    /** Lets the last pool's threads settle and the previous pool's shut down before a burst. */
    private static final long GAP_MILLIS = 500;

    /** What one runtime measured. */
    private record Measured(
            double burstMillis,
            double medianBurstMillis,
            double drainMillis,
            double to8Millis,
            double to16Millis,
            double waitP99Millis,
            int sizeAfterIdle,
            List<String> bursts) {}

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
        BusThroughput.Result bus = BusThroughput.measure(quick ? 200_000 : 1_000_000, quick ? 2 : 4, quick ? 3 : 7);

        for (int b = 0; b < BURSTS; b++) {
            print("result pool-burst-%d-pekko %s", b + 1, pekko.bursts().get(b));
            print("result pool-burst-%d-ours %s", b + 1, ours.bursts().get(b));
        }

        print("result pool-burst-completion-ms-ours %.1f", ours.burstMillis());
        print("result pool-burst-completion-ms-pekko %.1f", pekko.burstMillis());
        print("result pool-burst-completion-median-ms-ours %.1f", ours.medianBurstMillis());
        print("result pool-burst-completion-median-ms-pekko %.1f", pekko.medianBurstMillis());
        print("result pool-burst-drain-ms-ours %.1f", ours.drainMillis());
        print("result pool-burst-drain-ms-pekko %.1f", pekko.drainMillis());
        print("result pool-burst-8th-worker-ms-ours %.1f", ours.to8Millis());
        print("result pool-burst-8th-worker-ms-pekko %.1f", pekko.to8Millis());
        print("result pool-burst-16th-worker-ms-ours %.1f", ours.to16Millis());
        print("result pool-burst-16th-worker-ms-pekko %.1f", pekko.to16Millis());
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
        for (int w = 0; w < WARM_UP_BURSTS; w++) {
            settle();
            try (PooledRuntime warmup = runtime.apply(BLOCK_NANOS)) {
                burst(warmup);
            }
        }
        double[] completion = new double[BURSTS];
        double[] drain = new double[BURSTS];
        double[] to8 = new double[BURSTS];
        double[] to16 = new double[BURSTS];
        List<String> bursts = new ArrayList<>();
        List<long[]> waits = new ArrayList<>();
        for (int b = 0; b < BURSTS; b++) {
            settle();
            // Each burst meets a new pool at its lower bound: Pekko's resizer runs only when
            // messages arrive, so a pool kept from the last burst would start this one at the
            // size that burst left, and the burst would measure that size, not the growing.
            PooledRuntime pool = runtime.apply(BLOCK_NANOS);
            try {
                Burst burst = burst(pool);
                Requests requests = burst.requests();
                completion[b] = burst.completionMillis();
                drain[b] = burst.drainMillis();
                to8[b] = requests.nanosUntilWorkers(8) / 1e6;
                to16[b] = requests.nanosUntilWorkers(16) / 1e6;
                waits.add(requests.sortedWaits());
                bursts.add(String.format(
                        Locale.ROOT,
                        "%.1f ms, %d workers, 2nd/4th/8th/16th began at %s/%s/%s/%s ms",
                        burst.completionMillis(),
                        requests.workers(),
                        began(requests, 2),
                        began(requests, 4),
                        began(requests, 8),
                        began(requests, 16)));
                if (b == BURSTS - 1) {
                    Thread.sleep(idleMillis);
                    return new Measured(
                            Arrays.stream(completion).average().orElseThrow(),
                            median(completion),
                            Arrays.stream(drain).average().orElseThrow(),
                            median(to8),
                            median(to16),
                            p99Millis(waits),
                            pool.size(),
                            bursts);
                }
            } finally {
                pool.close();
            }
        }
        throw new IllegalStateException("no bursts");
    }

    /**
     * Collects the heap, then waits {@link #GAP_MILLIS}: without it the first burst of the runtime
     * measured second began with a young collection of the first one's garbage (11 to 15 ms, seen
     * with {@code -Xlog:gc}), which stopped the sender and the pool's decision alike, after which
     * the sender caught up by sending the 200 to 300 requests it owed back to back, all to the
     * pool's one replica (docs/BENCHMARKS.md, "The tail was the other runtime's garbage").
     */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(GAP_MILLIS);
    }

    /**
     * A burst sent and finished: how long from its first send to its last completion, and from
     * its last send to its last completion (the backlog left when the last request arrived).
     */
    private record Burst(Requests requests, double completionMillis, double drainMillis) {}

    private static Burst burst(PooledRuntime pool) throws InterruptedException {
        Requests requests = new Requests(PER_BURST);
        System.err.println(
                java.time.LocalTime.now() + " burst on " + pool.getClass().getSimpleName());
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

    /** @return when the burst's {@code workers}th worker began its first request, or "-" if none did */
    private static String began(Requests requests, int workers) {
        long nanos = requests.nanosUntilWorkers(workers);
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** @return the median, a negative value (fewer workers than asked) counting as the largest */
    private static double median(double[] values) {
        double[] sorted = Arrays.stream(values)
                .map(v -> v < 0 ? Double.MAX_VALUE : v)
                .sorted()
                .toArray();
        int n = sorted.length;
        double m = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return m >= Double.MAX_VALUE / 2 ? -1 : m;
    }

    private static double p99Millis(List<long[]> waits) {
        long[] all = waits.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6;
    }
}
