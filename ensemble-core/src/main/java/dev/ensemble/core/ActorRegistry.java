package dev.ensemble.core;

import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.SystemServices;
import dev.ensemble.core.internal.dispatch.Dispatcher;
import dev.ensemble.core.internal.dispatch.Dispatchers;
import dev.ensemble.core.internal.tree.CellMaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A system's actors by name: it makes their cells (registered, spawned, or in a supervision tree,
 * named by path), lists them, unlists a spawned actor or a pool's replica once it stopped for
 * good, and stops them all in reverse creation order. A registered actor or a tree's stays listed
 * once stopped, as stopped.
 *
 * <p>Threading: thread-safe. Making a spawned cell and closing are serialized by one lock, so that
 * no actor is spawned once the system stops.
 */
final class ActorRegistry implements CellMaker {
    /** Logged under the system's name, where what happens to its actors has always been logged. */
    private static final Logger LOG = LoggerFactory.getLogger(ActorSystem.class);
    /** Each actor gets at least this long to stop, even after others used up the timeout. */
    private static final long MIN_STOP_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String system;
    private final Dispatchers dispatchers;
    /** What the cells share: the monitor, the timer thread, ask timeouts, creation order. */
    private final SystemServices services;
    /** Every actor by name; registrations and spawns add, a spawned actor that stops is removed. */
    private final Map<String, ActorCell<?>> cells = new ConcurrentHashMap<>();
    /** The names of the actors registered with the builder or in a tree, as opposed to spawned. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /**
     * @param system the system's name, for errors
     * @param dispatchers what runs the cells
     * @param services makes the services the cells share, given what to call when a cell stops
     */
    ActorRegistry(String system, Dispatchers dispatchers, Function<Consumer<ActorCell<?>>, SystemServices> services) {
        this.system = system;
        this.dispatchers = dispatchers;
        this.services = services.apply(this::stopped);
    }

    SystemServices services() {
        return services;
    }

    /** @return the actor of that name or path, or null */
    ActorCell<?> get(String name) {
        return cells.get(name);
    }

    /** @return the names of every listed actor, a snapshot */
    Set<String> names() {
        return Set.copyOf(cells.keySet());
    }

    /** Every actor, in creation order. */
    List<ActorCell<?>> inCreationOrder() {
        List<ActorCell<?>> all = new ArrayList<>(cells.values());
        all.sort(Comparator.comparingLong(ActorCell::creationNumber));
        return all;
    }

    /**
     * Makes a registered actor's cell, its dependencies made before it; does not start it.
     *
     * @param placed the clients of its dependencies that run on other nodes
     */
    <S> ActorCell<S> register(
            Registration<S> registration, ActorProps props, Map<ActorToken<?, ?>, ActorClient<?, ?>> placed) {
        Map<ActorToken<?, ?>, ActorCell<?>> deps = new HashMap<>();
        for (ActorToken<?, ?> dependency : registration.dependencies()) {
            if (!placed.containsKey(dependency)) {
                deps.put(dependency, cells.get(dependency.name()));
            }
        }
        ActorCell<S> cell = newCell(registration.token(), registration.factory(), props, deps);
        if (!placed.isEmpty()) {
            cell.placedDependencies(placed);
        }
        registered.add(registration.token().name());
        cells.put(registration.token().name(), cell);
        return cell;
    }

    /**
     * Makes and starts an actor while the system runs.
     *
     * @param placed the clients of its dependencies that run on other nodes
     *
     * @throws IllegalArgumentException if the name is taken or a dependency is missing
     * @throws ActorStoppedException if the system is stopping
     */
    <S> ActorCell<S> spawn(
            ActorToken<?, S> token,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Map<ActorToken<?, ?>, ActorClient<?, ?>> placed,
            ActorToken<?, ?>... dependencies) {
        Map<ActorToken<?, ?>, ActorCell<?>> deps = new HashMap<>();
        for (ActorToken<?, ?> dependency : dependencies) {
            if (placed.containsKey(dependency)) {
                continue;
            }
            ActorCell<?> cell = cells.get(dependency.name());
            if (cell == null) {
                throw new IllegalArgumentException("cannot spawn \"" + token.name() + "\": its dependency \""
                        + dependency.name() + "\" does not exist");
            }
            deps.put(dependency, cell);
        }
        synchronized (lock) {
            if (closed) {
                throw new ActorStoppedException(
                        token.name(), "system \"" + system + "\" is stopped: cannot spawn \"" + token.name() + "\"");
            }
            if (cells.containsKey(token.name())) {
                throw new IllegalArgumentException(
                        "cannot spawn \"" + token.name() + "\": an actor of that name exists");
            }
            ActorCell<S> cell = newCell(token, factory, props, deps);
            if (!placed.isEmpty()) {
                cell.placedDependencies(placed);
            }
            cell.start().whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.error("spawned actor \"{}\" failed to start; it is stopped", token.name(), error);
                    cell.forceStop("its start hook failed: " + error);
                }
            });
            cells.put(token.name(), cell);
            return cell;
        }
    }

    private <S> ActorCell<S> newCell(
            ActorToken<?, S> token,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Map<ActorToken<?, ?>, ActorCell<?>> deps) {
        Dispatcher dispatcher = dispatchers.forActor(props.dispatcher(), token.name());
        return new ActorCell<>(services, token, factory, props, dispatcher, Map.copyOf(deps));
    }

    /**
     * An actor stopped for good (on its stopping thread): a spawned one frees its name and its
     * dedicated thread, if it had one; a registered one stays listed, as stopped.
     */
    private void stopped(ActorCell<?> cell) {
        if (registered.contains(cell.name())) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            cells.remove(cell.name(), cell);
        }
        dispatchers.release(cell.dispatcher());
    }

    /** @return true once the system stops */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** @return true the first time: no actor may be spawned from then on */
    boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /**
     * Stops every actor in reverse creation order, each after the messages already in its mailbox;
     * one that does not stop in time (each gets at least 100 ms) is force-stopped.
     *
     * @param timeout what all together may take, for the log
     * @param deadline {@link System#nanoTime()} by which all should have stopped
     * @return true if every actor stopped in time
     */
    boolean stopAll(Duration timeout, long deadline) {
        boolean clean = true;
        List<ActorCell<?>> order = inCreationOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            ActorCell<?> cell = order.get(i);
            CompletableFuture<Void> done = cell.stopGracefully();
            try {
                done.get(Math.max(MIN_STOP_GRACE_NANOS, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                clean = false;
                cell.forceStop("it did not stop within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                LOG.warn("actor \"{}\" failed while stopping", cell.name(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                clean = false;
                cell.forceStop("the stopping thread was interrupted");
            }
        }
        return clean;
    }

    // ---------------------------------------------------------------- for the supervision trees

    @Override
    public <S> ActorCell<S> make(
            ActorToken<?, S> token,
            String path,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies,
            boolean pooled) {
        Dispatcher dispatcher = dispatchers.forActor(props.dispatcher(), path);
        ActorCell<S> cell =
                new ActorCell<>(services, token, path, factory, props, dispatcher, Map.copyOf(dependencies), pooled);
        registered.add(path);
        cells.put(path, cell);
        return cell;
    }

    @Override
    public void remove(ActorCell<?> cell) {
        registered.remove(cell.name());
        cells.remove(cell.name(), cell);
        dispatchers.release(cell.dispatcher());
    }

    @Override
    public ActorCell<?> rootActor(String actor) {
        return cells.get(actor);
    }
}
