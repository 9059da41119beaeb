package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.ResizerSpec;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import java.time.Duration;

/**
 * ensemble-core's pool: workers on dedicated threads, round-robin like Pekko's pool, bounds 1 to
 * 16, sampling every 5 ms, growing over a 10 ms window with a 10 ms cool-down (the defaults are
 * 100, 300 and 500 ms; 250 ms bursts need a resizer that reacts within the burst), shrinking after
 * the default 1 s of idleness, and growing on arrival above the default threshold (8 messages
 * waiting per replica).
 */
final class OursPool implements PooledRuntime {
    private static final ActorToken<JobActions, Integer> WORKERS =
            ActorToken.of("workers", JobActions.class, Integer.class);

    private final ActorSystem system;
    private final ActorClient<JobActions, Integer> pool;

    OursPool(long blockNanos) {
        ResizerSpec resizer = ResizerSpec.between(1, 16)
                .withTiming(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(10));
        this.system = ActorSystem.builder("pools-bench")
                .supervisor(SupervisorSpec.of("bench", RestartStrategy.ONE_FOR_ONE)
                        .child(PoolSpec.of(WORKERS, () -> new BlockingWorker(blockNanos), 1)
                                .withProps(ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated()))
                                .withResizer(resizer)))
                .start();
        this.pool = system.client("/bench/workers", WORKERS);
    }

    @Override
    public void send(Requests requests, int index) {
        pool.actions().handle(requests, index);
    }

    @Override
    public int size() {
        return (int) system.actors().stream()
                .filter(actor -> actor.name().startsWith("/bench/workers/"))
                .count();
    }

    @Override
    public void close() {
        system.close();
    }
}
