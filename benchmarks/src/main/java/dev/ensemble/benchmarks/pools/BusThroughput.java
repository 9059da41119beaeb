package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A message through a supervisor's route against a direct tell: one driver sends a round of
 * messages to one counter, in the same namespace, either way; rounds alternate so that load from
 * outside falls on both alike.
 */
final class BusThroughput {
    static final ActorToken<CounterActions, Integer> COUNTER =
            ActorToken.of("counter", CounterActions.class, Integer.class);
    static final ActorToken<DriverActions, Integer> DRIVER =
            ActorToken.of("driver", DriverActions.class, Integer.class);

    /** Messages per second, best round of each. */
    record Result(double routed, double direct) {}

    private BusThroughput() {}

    static Result measure(int messages, int rounds) throws Exception {
        try (ActorSystem system = ActorSystem.builder("bus-bench")
                .supervisor(SupervisorSpec.of("bus", RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(COUNTER, Counter::new).handling("count"))
                        .child(WorkerSpec.of(DRIVER, Driver::new).dependsOn(COUNTER)))
                .start()) {
            double routed = 0;
            double direct = 0;
            for (int round = 0; round < rounds; round++) {
                routed = Math.max(routed, round(system, messages, true));
                direct = Math.max(direct, round(system, messages, false));
            }
            return new Result(routed, direct);
        }
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
