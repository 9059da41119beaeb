package dev.ensemble.benchmarks.core;

import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Spawns idle actors, ours ({@code ActorSystem.spawn} with a token per actor, from the harness
 * thread) or Pekko's ({@code context.spawn} in the guardian, a name per actor), and waits until
 * every one has run its start hook. Two modes, each in a fresh JVM per runtime:
 * <ul>
 *   <li>{@code rate}: actors spawned and started per second, the median of several runs in fresh
 *       systems (the first run is a warm-up);</li>
 *   <li>{@code heap}: the retained heap per idle actor, from the used heap after forced,
 *       settled garbage collections before and after spawning.</li>
 * </ul>
 *
 * <p>Usage: {@code IdleActors <ours|pekko> <rate|heap> <actors> <runs>}; prints {@code result} lines.
 */
public final class IdleActors {
    /** Pekko spawns in batches so that no guardian turn holds the harness for too long. */
    private static final int PEKKO_BATCH = 10_000;
    private static final long START_TIMEOUT_NANOS = 600_000_000_000L;
    private static final Supplier<EnsembleIdle> ENSEMBLE_FACTORY = EnsembleIdle::new;

    private IdleActors() {
    }

    /**
     * @param args runtime, mode, actors, runs
     * @throws Exception if the actors do not start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: IdleActors <ours|pekko> <rate|heap> <actors> <runs>");
        }
        String runtime = args[0];
        int actors = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        if (!runtime.equals(Runtimes.OURS) && !runtime.equals(Runtimes.PEKKO)) {
            throw Runtimes.unknown(runtime);
        }
        switch (args[1]) {
            case "rate" -> rate(runtime, actors, runs);
            case "heap" -> heap(runtime, actors);
            default -> throw new IllegalArgumentException("mode must be rate or heap, but was \"" + args[1] + "\"");
        }
    }

    private static void rate(String runtime, int actors, int runs) throws Exception {
        double[] rates = new double[runs];
        for (int run = 0; run <= runs; run++) {
            long elapsed;
            if (runtime.equals(Runtimes.OURS)) {
                try (ActorSystem system = ActorSystem.builder("spawn-" + run).start()) {
                    elapsed = spawnOurs(system, 0, actors);
                }
            } else {
                try (PekkoHost host = new PekkoHost("spawn-" + run)) {
                    elapsed = spawnPekko(host, 0, actors);
                }
            }
            double rate = actors / (elapsed / 1e9);
            System.out.printf("run %d (%s): %d actors in %.1f ms, %.0f actors/s%s%n", run, runtime, actors,
                    elapsed / 1e6, rate, run == 0 ? " (warm-up)" : "");
            if (run > 0) {
                rates[run - 1] = rate;
            }
        }
        Arrays.sort(rates);
        System.out.printf("result spawn-rate-%s %.0f%n", runtime, rates[runs / 2]);
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
            system.spawn(ActorToken.of("idle-" + i, IdleActions.class, Void.class), ENSEMBLE_FACTORY,
                    ActorProps.defaults());
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
