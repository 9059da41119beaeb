package dev.ensemble.benchmarks.core;

import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Spawns idle actors, ours ({@code ActorSystem.spawn} with a token per actor, from the harness
 * thread) or Pekko's ({@code context.spawn} in the guardian, a name per actor), and waits until
 * every one has run its start hook. Two modes,
 * <ul>
 *   <li>{@code rate}: actors spawned and started per second, the median of several runs, each in
 *       a fresh system, after a warm-up run; both runtimes in one JVM, taking turns;</li>
 *   <li>{@code heap}: the retained heap per idle actor, from the used heap after forced,
 *       settled garbage collections before and after spawning.</li>
 * </ul>
 *
 * <p>Usage: {@code IdleActors rate <actors> <runs>} (both runtimes, alternating) or
 * {@code IdleActors heap <ours|pekko> <actors>}; prints {@code result} lines.
 */
public final class IdleActors {
    /** Pekko spawns in batches so that no guardian turn holds the harness for too long. */
    private static final int PEKKO_BATCH = 10_000;

    private static final long START_TIMEOUT_NANOS = 600_000_000_000L;
    private static final Supplier<EnsembleIdle> ENSEMBLE_FACTORY = EnsembleIdle::new;

    private IdleActors() {}

    /**
     * @param args {@code rate <actors> <runs>} or {@code heap <ours|pekko> <actors>}
     * @throws Exception if the actors do not start
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("rate")) {
            rate(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 3 && args[0].equals("heap")) {
            if (!args[1].equals(Runtimes.OURS) && !args[1].equals(Runtimes.PEKKO)) {
                throw Runtimes.unknown(args[1]);
            }
            heap(args[1], Integer.parseInt(args[2]));
        } else {
            throw new IllegalArgumentException("usage: IdleActors rate <actors> <runs> | heap <ours|pekko> <actors>,"
                    + " but was " + Arrays.toString(args));
        }
    }

    /** Alternates the runtimes run by run, so that load from outside falls on both alike. */
    private static void rate(int actors, int runs) throws Exception {
        for (String runtime : List.of(Runtimes.OURS, Runtimes.PEKKO)) {
            System.out.printf(
                    "warm-up (%s): %.0f actors/s%n", runtime, actors / (spawnInFreshSystem(runtime, actors, 0) / 1e9));
        }
        Map<String, double[]> rates = Map.of(Runtimes.OURS, new double[runs], Runtimes.PEKKO, new double[runs]);
        for (int run = 0; run < runs; run++) {
            for (String runtime : List.of(Runtimes.OURS, Runtimes.PEKKO)) {
                double rate = actors / (spawnInFreshSystem(runtime, actors, run + 1) / 1e9);
                rates.get(runtime)[run] = rate;
                System.out.printf("run %d (%s): %.0f actors/s%n", run + 1, runtime, rate);
            }
        }
        for (String runtime : List.of(Runtimes.OURS, Runtimes.PEKKO)) {
            double[] sorted = rates.get(runtime).clone();
            Arrays.sort(sorted);
            System.out.printf("result spawn-rate-%s %.0f%n", runtime, sorted[runs / 2]);
        }
    }

    /** @return nanoseconds from the first spawn until every actor has started; stopping is not timed */
    private static long spawnInFreshSystem(String runtime, int actors, int run) throws Exception {
        if (runtime.equals(Runtimes.OURS)) {
            try (ActorSystem system = ActorSystem.builder("spawn-" + run).start()) {
                return spawnOurs(system, 0, actors);
            }
        }
        try (PekkoHost host = new PekkoHost("spawn-" + run)) {
            return spawnPekko(host, 0, actors);
        }
    }

    private static void heap(String runtime, int actors) throws Exception {
        int warm = 1_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before;
        long after;
        long elapsed;
        if (runtime.equals(Runtimes.OURS)) {
            ActorSystem system = ActorSystem.builder("idle").start();
            spawnOurs(system, 0, warm);
            before = settledUsedHeap(memory);
            elapsed = spawnOurs(system, warm, actors);
            after = settledUsedHeap(memory);
            Reference.reachabilityFence(system);
        } else {
            PekkoHost host = new PekkoHost("idle");
            spawnPekko(host, 0, warm);
            before = settledUsedHeap(memory);
            elapsed = spawnPekko(host, warm, actors);
            after = settledUsedHeap(memory);
            Reference.reachabilityFence(host);
        }
        System.out.printf("result idle-actor-bytes-%s %.0f%n", runtime, (after - before) / (double) actors);
        System.out.printf("result idle-spawn-seconds-%s %.2f%n", runtime, elapsed / 1e9);
        // The actors are measured; stopping a million of them one by one would only cost time.
        System.exit(0);
    }

    /** @return nanoseconds from the first spawn until every actor has started */
    private static long spawnOurs(ActorSystem system, int first, int count) throws TimeoutException {
        long target = Started.count() + count;
        long started = System.nanoTime();
        for (int i = first; i < first + count; i++) {
            system.spawn(
                    ActorToken.of("idle-" + i, IdleActions.class, Void.class), ENSEMBLE_FACTORY, ActorProps.defaults());
        }
        awaitStarted(target, started);
        return System.nanoTime() - started;
    }

    private static long spawnPekko(PekkoHost host, int first, int count) throws TimeoutException {
        long target = Started.count() + count;
        long started = System.nanoTime();
        for (int batch = first; batch < first + count; batch += PEKKO_BATCH) {
            int from = batch;
            int to = Math.min(first + count, batch + PEKKO_BATCH);
            host.inGuardian(context -> {
                for (int i = from; i < to; i++) {
                    context.spawn(PekkoIdle.BEHAVIOR, "idle-" + i);
                }
            });
        }
        awaitStarted(target, started);
        return System.nanoTime() - started;
    }

    /** Polls every 100 µs, so that the wait neither burns a core nor ends late. */
    private static void awaitStarted(long target, long startedNanos) throws TimeoutException {
        while (Started.count() < target) {
            if (System.nanoTime() - startedNanos > START_TIMEOUT_NANOS) {
                throw new TimeoutException((target - Started.count()) + " actors had not started after "
                        + START_TIMEOUT_NANOS / 1_000_000_000L + " s");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Full collections until the used heap changes by less than 0.5 %, at most ten. */
    private static long settledUsedHeap(MemoryMXBean memory) throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            System.gc();
            // Not synchronisation: gives reference processing and finalizers a moment between collections.
            Thread.sleep(200);
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < used / 200) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
