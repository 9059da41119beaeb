package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A message through a supervisor's route against a direct tell: one driver sends a round of
 * messages to one counter, in the same namespace, either way; rounds alternate so that load from
 * outside falls on both alike.
 *
 * <p>The first rounds warm up and are not counted, and each side's result is the median of the
 * rest. The best of five rounds, counted from the first, read 0.35 in one quiet run and 2.18 in the
 * next: a lone fast round of either side decided it.
 */
final class BusThroughput {
    static final ActorToken<CounterActions, Integer> COUNTER =
            ActorToken.of("counter", CounterActions.class, Integer.class);
    static final ActorToken<DriverActions, Integer> DRIVER =
            ActorToken.of("driver", DriverActions.class, Integer.class);

    /** Messages per second, the median of the measured rounds of each. */
    record Result(double routed, double direct) {}

    private BusThroughput() {}

    /**
     * @param messages messages per round
     * @param warmUp rounds of each side first, not counted
     * @param rounds measured rounds of each side
     */
    static Result measure(int messages, int warmUp, int rounds) throws Exception {
        try (ActorSystem system = ActorSystem.builder("bus-bench")
                .supervisor(SupervisorSpec.of("bus", RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(COUNTER, Counter::new).handling("count"))
                        .child(WorkerSpec.of(DRIVER, Driver::new).dependsOn(COUNTER)))
                .start()) {
            for (int round = 0; round < warmUp; round++) {
                round(system, messages, true);
                round(system, messages, false);
            }
            double[] routed = new double[rounds];
            double[] direct = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                routed[round] = round(system, messages, true);
                direct[round] = round(system, messages, false);
            }
            return new Result(median(routed), median(direct));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double round(ActorSystem system, int messages, boolean viaBus) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        system.client("/bus/counter", COUNTER).actions().expect(messages, done).get(10, TimeUnit.SECONDS);
        long started = System.nanoTime();
        system.client("/bus/driver", DRIVER).actions().drive(messages, viaBus);
        done.get(5, TimeUnit.MINUTES);
        return messages / ((System.nanoTime() - started) / 1e9);
    }
}
