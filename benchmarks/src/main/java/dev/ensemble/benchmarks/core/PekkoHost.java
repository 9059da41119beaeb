package dev.ensemble.benchmarks.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A Pekko typed actor system with default settings (default dispatcher, default mailbox) whose
 * guardian spawns the benchmark's actors as its children, the idiomatic way in Pekko typed.
 * Only Pekko's own logging is quietened. Call from one harness thread.
 */
final class PekkoHost implements AutoCloseable {
    /** Work the guardian runs inside its own turn. */
    record InGuardian(Consumer<ActorContext<InGuardian>> work, CompletableFuture<Void> done) {}

    private static final Config CONFIG = ConfigFactory.parseString("""
            pekko.loglevel = WARNING
            pekko.log-dead-letters = off
            pekko.log-dead-letters-during-shutdown = off
            """).withFallback(ConfigFactory.load());

    private final ActorSystem<InGuardian> system;

    PekkoHost(String name) {
        Behavior<InGuardian> guardian = Behaviors.setup(context -> Behaviors.receiveMessage(command -> {
            try {
                command.work().accept(context);
                command.done().complete(null);
            } catch (RuntimeException e) {
                command.done().completeExceptionally(e);
            }
            return Behaviors.same();
        }));
        this.system = ActorSystem.create(guardian, name, CONFIG);
    }

    ActorSystem<InGuardian> system() {
        return system;
    }

    /** Runs {@code work} with the guardian's context, inside the guardian's turn, and waits. */
    void inGuardian(Consumer<ActorContext<InGuardian>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        system.tell(new InGuardian(work, done));
        try {
            done.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the Pekko guardian did not run the benchmark's setup: " + e, e);
        }
    }

    /** Spawns a child of the guardian and returns its reference. */
    <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        @SuppressWarnings("unchecked")
        ActorRef<T>[] spawned = new ActorRef[1];
        inGuardian(context -> spawned[0] = context.spawn(behavior, name));
        return spawned[0];
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated()
                    .toCompletableFuture()
                    .get(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Pekko system " + system.name() + " did not terminate: " + e, e);
        }
    }
}
