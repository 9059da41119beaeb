package dev.ensemble.remote;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Nodes (an actor system with a counter, and its remote layer) on one simulated network. The
 * simulator delivers only when the test pumps it, so every wait here pumps: never join a remote
 * future without {@link #await(CompletableFuture)}.
 */
final class SimNodes implements AutoCloseable {
    static final TypeRegistry TYPES = TypeRegistry.builder()
            .register("note", Note.class)
            .register("tally", Tally.class)
            .build();

    final NetworkSimulator network;
    private final List<ActorSystem> systems = new ArrayList<>();
    private final List<RemoteActors> nodes = new ArrayList<>();

    SimNodes(NetworkSimulator network) {
        this.network = network;
    }

    static PeerId id(String name) {
        return TestPeers.id(name);
    }

    RemoteActors node(String name) {
        return node(name, builder -> builder);
    }

    RemoteActors node(String name, UnaryOperator<RemoteActors.Builder> settings) {
        return node(name, transport -> transport, settings);
    }

    /** @param wrap puts a transport of the test's around the node's simulated one */
    RemoteActors node(String name, UnaryOperator<Transport> wrap, UnaryOperator<RemoteActors.Builder> settings) {
        ActorSystem system =
                ActorSystem.builder(name).add(Counter.TOKEN, Counter::new).start();
        systems.add(system);
        RemoteActors remote = settings.apply(RemoteActors.builder(system, wrap.apply(network.transportFor(id(name))))
                        .types(TYPES)
                        .heartbeatInterval(Duration.ofMillis(200))
                        .acceptableHeartbeatPause(Duration.ofSeconds(20)))
                .start();
        nodes.add(remote);
        return remote;
    }

    RemoteActors remote(int index) {
        return nodes.get(index);
    }

    ActorSystem system(int index) {
        return systems.get(index);
    }

    /** Delivers what is due in 5 ms of virtual time, until the condition holds. */
    void pumpUntil(String what, BooleanSupplier condition) {
        pumpUntil(what, Await.DEFAULT_TIMEOUT, condition);
    }

    void pumpUntil(String what, BooleanSupplier condition, java.util.function.Supplier<?> state) {
        Await.until(
                what,
                Await.DEFAULT_TIMEOUT,
                () -> {
                    network.runFor(Duration.ofMillis(5));
                    return condition.getAsBoolean();
                },
                () -> state.get() + " (seed " + network.seed() + ")");
    }

    void pumpUntil(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(
                what,
                timeout,
                () -> {
                    network.runFor(Duration.ofMillis(5));
                    return condition.getAsBoolean();
                },
                () -> "seed " + network.seed());
    }

    /** Pumps until the future is done, then joins it (throwing its failure). */
    <T> T await(CompletableFuture<T> future) {
        pumpUntil("a remote reply", future::isDone);
        return future.join();
    }

    /** Pumps until the future is done and returns its failure's cause. */
    Throwable failure(CompletableFuture<?> future) {
        pumpUntil("a remote failure", future::isDone);
        try {
            future.join();
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + future.join());
    }

    @Override
    public void close() {
        nodes.forEach(RemoteActors::close);
        systems.forEach(ActorSystem::close);
    }
}
