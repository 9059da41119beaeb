package dev.ensemble.benchmarks.pools;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.routing.DefaultResizer;
import org.apache.pekko.routing.GetRoutees;
import org.apache.pekko.routing.RoundRobinPool;
import org.apache.pekko.routing.Routees;

/**
 * Pekko's classic router pool with its {@code DefaultResizer} (bounds 1 to 16, its other settings
 * default), routees on a {@code PinnedDispatcher} (a thread each), as Pekko's documentation
 * advises for actors that block.
 */
final class PekkoPool implements PooledRuntime {
    private static final Config CONFIG = ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.log-dead-letters = off
            pekko.log-dead-letters-during-shutdown = off
            blocking-workers {
              type = PinnedDispatcher
              executor = "thread-pool-executor"
            }
            """).withFallback(ConfigFactory.load());

    private final ActorSystem system;
    private final ActorRef router;

    PekkoPool(long blockNanos) {
        this.system = ActorSystem.create("pools-bench-pekko", CONFIG);
        Props worker = Props.create(PekkoWorker.class, () -> new PekkoWorker(blockNanos))
                .withDispatcher("blocking-workers");
        this.router = system.actorOf(
                new RoundRobinPool(1).withResizer(new DefaultResizer(1, 16)).props(worker), "pool");
    }

    @Override
    public void send(Requests requests, int index) {
        router.tell(new PekkoWorker.Job(requests, index), ActorRef.noSender());
    }

    @Override
    public int size() throws Exception {
        Object routees = Patterns.ask(router, GetRoutees.getInstance(), Duration.ofSeconds(5))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return ((Routees) routees).getRoutees().size();
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Pekko did not terminate: " + e, e);
        }
    }
}
