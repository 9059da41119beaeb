package dev.ensemble.core;

import dev.ensemble.core.bus.DeadLetter;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionServer;
import dev.ensemble.core.inspect.Inspector;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.CellTap;
import dev.ensemble.core.internal.cell.SystemServices;
import dev.ensemble.core.internal.dispatch.Dispatchers;
import dev.ensemble.core.internal.inspect.InspectedSystem;
import dev.ensemble.core.internal.inspect.InspectorEngine;
import dev.ensemble.core.internal.invoke.ActionTable;
import dev.ensemble.core.internal.tree.DeadLetters;
import dev.ensemble.core.internal.tree.TimerPoolClock;
import dev.ensemble.core.internal.tree.Tree;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.supervision.PoolClock;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running set of actors wired by their dependencies.
 *
 * <p>A {@link Builder} registers each actor under its {@link ActorToken}, with a factory and the
 * tokens it depends on. {@link Builder#start()} checks the graph (duplicates, missing
 * dependencies and cycles are rejected with one error that names them all), then starts the
 * actors in dependency order, each one's {@code onStart()} completing before its dependents
 * start. {@link #stop(Duration)} stops them in reverse order, each after the messages already in
 * its mailbox.
 *
 * <p>An actor that the configuration places on another node ({@link ActorSystemConfig}, "Placement")
 * is not started here; {@link #client} hands out the attached remote layer's client for it, and a
 * local actor that depends on it receives that client, if the builder starts the remote layer
 * before the actors ({@link Builder#remote}).
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.builder("app")
 *         .add(COUNTER, Counter::new)
 *         .add(PRINTER, Printer::new, COUNTER)          // PRINTER depends on COUNTER
 *         .start()) {
 *     system.client(COUNTER).actions().increment();
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ActorSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActorSystem.class);

    /** Default time an ask waits for its answer. */
    public static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(5);
    /** Default time {@link #close()} gives the actors to stop. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Default time each actor's start hook may take. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Default messages an actor handles on the shared pool before yielding its worker. */
    public static final int DEFAULT_THROUGHPUT = 64;

    private final String name;
    private final Dispatchers dispatchers;
    /** Every actor by name or path, and the services their cells share. */
    private final ActorRegistry actors;

    /** The supervision trees; empty unless the builder was given supervisors. */
    private final Tree tree;

    private final DeadLetters deadLetters;

    /** Actors the configuration places on other nodes: name to node. */
    private final Map<String, String> placements;
    /** The remote layer that serves {@link #placements}; null until one attaches. */
    private final AtomicReference<RemoteClients> remote = new AtomicReference<>();

    private final String configSource;
    /** The remote layer started by {@link Builder#remote}, closed after the actors stop; may be null. */
    private volatile AutoCloseable ownedRemote;
    /** Made on the first {@link #inspector()} call. */
    private volatile Inspector inspector;
    /** The local inspection socket ({@link Builder#inspect}); null if off or it could not open. */
    private volatile InspectionServer inspectionServer;

    private ActorSystem(Builder builder, int parallelism) {
        this.name = builder.name;
        this.placements = builder.config.placements();
        this.configSource = builder.config.source();
        Duration askTimeout = builder.config.askTimeout().orElse(builder.askTimeout);
        int throughput = builder.config.throughput().orElse(builder.throughput);
        this.dispatchers = new Dispatchers(name, parallelism, throughput);
        this.actors = new ActorRegistry(
                name,
                dispatchers,
                cellStopped -> new SystemServices(
                        this, builder.monitor, askTimeout, dispatchers.callbackExecutor(), cellStopped));
        this.deadLetters = new DeadLetters(name, dispatchers.callbackExecutor());
        this.tree = Tree.create(dispatchers.callbackExecutor(), deadLetters);
        actors.services().rootBus(tree.rootBus());
    }

    /**
     * @param name the system's name, used in thread names and logs
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the system's name */
    public String name() {
        return name;
    }

    /**
     * The client of an actor of this system, or, for an actor the configuration places on another
     * node, the attached remote layer's client for it ({@link #attachRemote}). Thread-safe.
     *
     * @param token a registered or spawned actor's token
     * @param <A> its actions
     * @param <S> its state
     * @return its client
     * @throws IllegalArgumentException if no such actor exists
     * @throws IllegalStateException if the actor is placed on another node and no remote layer is attached
     */
    @SuppressWarnings("unchecked")
    public <A, S> ActorClient<A, S> client(ActorToken<A, S> token) {
        Objects.requireNonNull(token, "token");
        String node = placements.get(token.name());
        if (node != null) {
            return placedClient(node, token);
        }
        ActorCell<?> cell = actors.get(token.name());
        if (cell == null) {
            throw new IllegalArgumentException(
                    "no actor \"" + token.name() + "\" in system \"" + name + "\" (actors: " + actors.names() + ")");
        }
        return checkedClient(cell, token);
    }

    private <A, S> ActorClient<A, S> placedClient(String node, ActorToken<A, S> token) {
        RemoteClients layer = remote.get();
        if (layer == null) {
            throw new IllegalStateException("actor \"" + token.name() + "\" runs on node " + node + " (placed by "
                    + configSource + "), but no remote layer is attached to system \"" + name
                    + "\": start a RemoteActors for it (ensemble-remote) before asking for the client");
        }
        return layer.client(node, token);
    }

    /**
     * Attaches the remote layer that gives the clients of actors the configuration places on other
     * nodes (see {@link ActorSystemConfig}, "Placement"). ensemble-remote's {@code RemoteActors} calls
     * it when it starts; applications do not need to. One layer at a time: the first one attached
     * serves until it detaches. Thread-safe.
     *
     * @param clients the remote layer
     * @return whether it was attached ({@code false} if another layer is attached already)
     */
    public boolean attachRemote(RemoteClients clients) {
        return remote.compareAndSet(null, Objects.requireNonNull(clients, "clients"));
    }

    /**
     * Detaches a remote layer attached with {@link #attachRemote}; does nothing if another is
     * attached. Clients already handed out are the layer's to end. Thread-safe.
     *
     * @param clients the remote layer
     */
    public void detachRemote(RemoteClients clients) {
        remote.compareAndSet(Objects.requireNonNull(clients, "clients"), null);
    }

    /**
     * @return the remote layer's clients of the dependencies placed on other nodes
     * @throws IllegalStateException if one is placed and no remote layer is attached, naming it
     */
    private Map<ActorToken<?, ?>, ActorClient<?, ?>> placedDependencies(List<ActorToken<?, ?>> dependencies) {
        Map<ActorToken<?, ?>, ActorClient<?, ?>> clients = new HashMap<>();
        for (ActorToken<?, ?> dependency : dependencies) {
            String node = placements.get(dependency.name());
            if (node != null) {
                clients.put(dependency, placedClient(node, dependency));
            }
        }
        return clients;
    }

    @SuppressWarnings("unchecked")
    private static <A, S> ActorClient<A, S> checkedClient(ActorCell<?> cell, ActorToken<A, S> token) {
        if (cell.token().actions() != token.actions()) {
            throw new IllegalArgumentException("actor \"" + cell.name() + "\" offers "
                    + cell.token().actions().getName() + ", not "
                    + token.actions().getName());
        }
        return ((ActorCell<S>) cell).client();
    }

    /**
     * The client of an actor by its path: {@code /name} for an actor registered with the builder,
     * {@code /namespace/.../name} for one under a supervisor ({@link Builder#supervisor}).
     * Thread-safe.
     *
     * @param path the actor's absolute path
     * @param token its token, for the types
     * @param <A> its actions
     * @param <S> its state
     * @return its client
     * @throws IllegalArgumentException if no actor has that path or it offers other actions
     */
    public <A, S> ActorClient<A, S> client(String path, ActorToken<A, S> token) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(token, "token");
        // A placed actor is at the root, so "/counter" and "counter" name it, as they do a local one.
        String atRoot = path.startsWith("/") ? path.substring(1) : path;
        if (atRoot.indexOf('/') < 0 && placements.containsKey(atRoot)) {
            return placedClient(placements.get(atRoot), token);
        }
        ActorClient<A, S> pool = tree.poolClient(path, token);
        if (pool != null) {
            return pool;
        }
        ActorCell<?> cell = actors.get(path);
        if (cell == null && path.startsWith("/") && path.indexOf('/', 1) < 0) {
            cell = actors.get(path.substring(1));
        }
        if (cell == null) {
            throw new IllegalArgumentException("no actor at path " + path + " in system \"" + name + "\"");
        }
        return checkedClient(cell, token);
    }

    /**
     * Resizes a pool now, as its resizer would: new replicas start before they take calls; a
     * replica removed leaves the routing, then handles what it holds, then stops. Its event
     * ({@link dev.ensemble.core.supervision.PoolResized}) says "resized on request". The
     * resizer's cool-down starts again. Thread-safe.
     *
     * @param path the pool's path
     * @param size the replicas it should have, within its bounds
     * @return completes with the pool's size once the resize is done
     * @throws IllegalArgumentException if no pool has this path, or the size is outside its bounds
     */
    public CompletableFuture<Integer> resizePool(String path, int size) {
        return tree.resizePool(Objects.requireNonNull(path, "path"), size);
    }

    /**
     * Subscribes to dead letters: bus messages that no actor handles. Each is also logged.
     * Thread-safe; the listener runs on the system's shared pool.
     *
     * @param listener receives each dead letter with the message and the namespace
     * @return a handle that unsubscribes
     */
    public Subscription onDeadLetter(Consumer<? super DeadLetter> listener) {
        return deadLetters.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Creates and starts an actor while the system runs, for actors whose number is not known up
     * front. It may depend on actors that already run. Its start hook runs asynchronously; calls
     * made meanwhile wait in its mailbox. Thread-safe.
     *
     * @param token its token, with a name not used yet
     * @param factory makes a fresh instance for the start and for every restart
     * @param props its dispatcher, mailbox and supervision
     * @param dependencies the actors it uses; one the configuration places on another node is reached
     *     through the attached remote layer's client
     * @param <A> its actions
     * @param <S> its state
     * @return its client
     * @throws IllegalArgumentException if the name is taken, a dependency is missing or the actions
     *     interface has an unsupported method
     * @throws IllegalStateException if a dependency is placed on another node and no remote layer is
     *     attached
     * @throws ActorStoppedException if the system is stopping
     */
    public <A, S> ActorClient<A, S> spawn(
            ActorToken<A, S> token,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            ActorToken<?, ?>... dependencies) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(props, "props");
        return actors.spawn(token, factory, props, placedDependencies(List.of(dependencies)), dependencies)
                .client();
    }

    /**
     * Adds a worker to a running supervisor of a tree, as its last child: it starts in the
     * supervisor's serial order (never during a restart the supervisor ordered), may depend on the
     * supervisor's workers and on actors of the root, takes the bus messages it handles from then
     * on, and restarts and stops with its siblings by the supervisor's strategy. Thread-safe.
     *
     * <pre>{@code
     * system.spawn("/room", WorkerSpec.of(PLAYER, Player::new).handling("note-played"))
     *         .thenRun(() -> system.client("/room/player", PLAYER).actions().join(me));
     * }</pre>
     *
     * @param supervisor the supervisor's path, such as {@code /room}
     * @param worker the worker; its name must not be taken among the supervisor's children
     * @return completes with the worker's path once its start hook has run; fails with an
     *     {@link IllegalArgumentException} naming what is wrong (a name taken or malformed, a
     *     missing dependency, a handler whose actions do not extend
     *     {@link dev.ensemble.core.bus.BusReceiver}), with an {@link IllegalStateException} if the
     *     supervisor has stopped, or with what the start hook threw (the worker is removed again)
     * @throws IllegalArgumentException if no supervisor has this path (a pool is not one)
     * @throws ActorStoppedException if the system is stopping
     */
    public CompletableFuture<String> spawn(String supervisor, WorkerSpec<?> worker) {
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(worker, "worker");
        if (actors.isClosed()) {
            throw new ActorStoppedException(
                    supervisor, "system \"" + name + "\" is stopped: cannot spawn under " + supervisor);
        }
        return tree.addWorker(supervisor, worker);
    }

    /**
     * Stops one actor after the messages already in its mailbox; its watchers are told.
     * Thread-safe.
     *
     * @param token the actor
     * @return a future that completes when it has stopped
     * @throws IllegalArgumentException if no such actor exists, or the configuration places it on
     *     another node (its node stops it)
     */
    public CompletableFuture<Void> stop(ActorToken<?, ?> token) {
        ActorCell<?> cell = actors.get(token.name());
        String node = placements.get(token.name());
        if (node != null) {
            throw new IllegalArgumentException("actor \"" + token.name() + "\" runs on node " + node + " (placed by "
                    + configSource + "), not in system \"" + name + "\": stop it on its node");
        }
        if (cell == null) {
            throw new IllegalArgumentException("no actor \"" + token.name() + "\" in system \"" + name + "\"");
        }
        return cell.stopGracefully();
    }

    /**
     * Thread-safe.
     *
     * @return a snapshot of every actor: name, status, mailbox depth and dispatcher
     */
    public List<ActorInfo> actors() {
        List<ActorInfo> infos = new ArrayList<>();
        for (ActorCell<?> cell : actors.inCreationOrder()) {
            infos.add(new ActorInfo(
                    cell.name(),
                    cell.status(),
                    cell.mailboxSize(),
                    cell.dispatcher().name()));
        }
        return infos;
    }

    /**
     * This system's inspector: it answers the requests of the inspection protocol
     * (docs/SHELL.md) about this system's actors, supervisors and pools, and about namespaces
     * mounted into it ({@link Inspector#mount}). Made on first call; a transport (the local socket,
     * ensemble-remote) opens sessions on it. Thread-safe.
     *
     * <p>Cost: made but without a session, nothing; with a session open, one sample of every
     * actor's message counter a second; traces and the history only while they run.
     *
     * <pre>{@code
     * try (InspectionSession session = system.inspector().open(InspectionAccess.READ, System.out::println)) {
     *     session.request("{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}");
     * }
     * }</pre>
     *
     * @return the inspector, the same one on every call
     */
    public Inspector inspector() {
        Inspector i = inspector;
        if (i == null) {
            synchronized (this) {
                i = inspector;
                if (i == null) {
                    i = new InspectorEngine(new SystemView());
                    inspector = i;
                }
            }
        }
        return i;
    }

    /**
     * Thread-safe.
     *
     * @return the local inspection socket this system serves its {@link #inspector()} on, if
     *     {@link Builder#inspect} (or the configuration's {@code "inspect"}) switched it on and it
     *     opened: a shell attaches with {@code ensemble-shell --pid PID} or {@code --socket PATH}
     */
    public Optional<Path> inspectionSocket() {
        InspectionServer server = inspectionServer;
        return server == null ? Optional.empty() : Optional.of(server.socket());
    }

    /**
     * Opens the local socket. Inspection is for diagnosis: a socket that cannot open (a directory
     * others may write, a path too long) is logged and the system runs on without it.
     */
    private void openInspectionServer(InspectionAccess access) {
        try {
            // InspectionServer logs where it listens and with which access.
            inspectionServer = InspectionServer.start(inspector(), name, access);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "actor system \"{}\": inspection socket not opened, running without it: {}",
                    name,
                    e.getMessage(),
                    e);
        }
    }

    private void closeInspectionServer() {
        InspectionServer server = inspectionServer;
        if (server != null) {
            inspectionServer = null;
            server.close();
        }
    }

    /** What the inspector sees of this system. */
    private final class SystemView implements InspectedSystem {
        @Override
        public String name() {
            return name;
        }

        @Override
        public List<ActorCell<?>> cells() {
            return actors.inCreationOrder();
        }

        @Override
        public Collection<String> supervisors() {
            return tree.namespaces();
        }

        @Override
        public Collection<String> pools() {
            return tree.poolPaths();
        }

        @Override
        public ScheduledExecutorService timer() {
            return actors.services().timer();
        }

        @Override
        public Duration askTimeout() {
            return actors.services().askTimeout();
        }

        @Override
        public void defaultTap(CellTap tap) {
            actors.services().tap(tap);
        }
    }

    /**
     * Stops every actor in reverse start order, each after the messages already in its mailbox,
     * then the system's threads. An actor that does not stop in time (each gets at least 100 ms,
     * even after others used up the timeout) is force-stopped: its waiting asks fail or time out
     * and its thread is abandoned. Calling it again does nothing. Thread-safe.
     *
     * @param timeout the time all actors together may take
     * @return true if every actor stopped in time
     */
    public boolean stop(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!actors.close()) {
            return true;
        }
        tree.shutdown();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean clean = actors.stopAll(timeout, deadline);
        if (inspector instanceof InspectorEngine engine) {
            engine.systemStopped();
        }
        closeInspectionServer();
        closeOwnedRemote();
        Duration rest = Duration.ofNanos(Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        dispatchers.shutdown(rest);
        actors.services().shutdown();
        LOG.debug("actor system \"{}\" stopped{}", name, clean ? "" : " (some actors were force-stopped)");
        return clean;
    }

    /**
     * Closes the remote layer that {@link Builder#remote} started: after the actors, so that those
     * depending on placed actors could still reach them while stopping.
     */
    private void closeOwnedRemote() {
        AutoCloseable layer = ownedRemote;
        ownedRemote = null;
        if (layer == null) {
            return;
        }
        try {
            layer.close();
        } catch (Exception e) {
            LOG.warn("the remote layer of actor system \"{}\" failed to close", name, e);
        }
    }

    /** Stops the system with {@link #DEFAULT_STOP_TIMEOUT}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    // ---------------------------------------------------------------- internal

    /** The system's dispatchers, for tests of their scheduling. */
    Dispatchers dispatchers() {
        return dispatchers;
    }

    /**
     * Registers actors, then starts them together. Not thread-safe: one thread builds.
     */
    public static final class Builder {
        private final String name;
        private final List<Registration<?>> registrations = new ArrayList<>();
        private Duration askTimeout = DEFAULT_ASK_TIMEOUT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private int throughput = DEFAULT_THROUGHPUT;
        private Integer parallelism;
        private ActorMonitor monitor = ActorMonitor.NONE;
        private ActorSystemConfig config = ActorSystemConfig.empty();
        private final List<SupervisorSpec> supervisors = new ArrayList<>();
        private PoolClock poolClock;
        private final Map<String, ConfiguredFactory<?>> factories = new HashMap<>();
        private Function<? super ActorSystem, ? extends AutoCloseable> remoteLayer;
        private InspectionAccess inspect;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Registers an actor with default props.
         *
         * @param token its token
         * @param factory makes a fresh instance; called once at start and once per restart
         * @param dependencies the actors it uses; they start before it and stop after it
         * @param <S> its state type
         * @return this builder
         * @throws IllegalArgumentException if the actions interface has an unsupported method,
         *     naming it
         */
        public <S> Builder add(
                ActorToken<?, S> token, Supplier<? extends Actor<S>> factory, ActorToken<?, ?>... dependencies) {
            return add(token, factory, ActorProps.defaults(), dependencies);
        }

        /**
         * Registers an actor.
         *
         * @param token its token
         * @param factory makes a fresh instance; called once at start and once per restart
         * @param props its dispatcher, mailbox and supervision (a configuration file may override them)
         * @param dependencies the actors it uses; they start before it and stop after it
         * @param <S> its state type
         * @return this builder
         * @throws IllegalArgumentException if the actions interface has an unsupported method,
         *     naming it
         */
        public <S> Builder add(
                ActorToken<?, S> token,
                Supplier<? extends Actor<S>> factory,
                ActorProps props,
                ActorToken<?, ?>... dependencies) {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(factory, "factory");
            Objects.requireNonNull(props, "props");
            ActionTable.of(token.actions());
            registrations.add(new Registration<>(token, factory, props, List.of(dependencies)));
            return this;
        }

        /**
         * Adds a supervision tree under the system's root: its supervisor and every actor below
         * it start, depth first in child order, after the actors registered with {@link #add};
         * they stop before them, in reverse. See {@link SupervisorSpec}.
         *
         * @param supervisor the tree's top supervisor; its name is the first segment of its paths
         * @return this builder
         */
        public Builder supervisor(SupervisorSpec supervisor) {
            supervisors.add(Objects.requireNonNull(supervisor, "supervisor"));
            return this;
        }

        /**
         * Registers a factory under a name, for the workers and pools that a configuration file's
         * {@code "supervisors"} section places in a tree ({@code "factory": "reader"}).
         *
         * @param name the name the file uses
         * @param actions the actions interface its actors offer
         * @param stateType the class of their state
         * @param factory makes a fresh instance for each start and restart
         * @param <A> the actions
         * @param <S> the state
         * @return this builder
         * @throws IllegalArgumentException if the name is taken or the actions interface has an
         *     unsupported method
         */
        public <A, S> Builder factory(
                String name, Class<A> actions, Class<S> stateType, Supplier<? extends Actor<S>> factory) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(factory, "factory");
            ActorToken.of("check", actions, stateType);
            ActionTable.of(actions);
            if (factories.putIfAbsent(name, new ConfiguredFactory<>(actions, stateType, factory)) != null) {
                throw new IllegalArgumentException("a factory named \"" + name + "\" is already registered");
            }
            return this;
        }

        /**
         * @param clock what pools' resizers measure with and are ticked by (default: the system's
         *     timer); tests give a manual clock
         * @return this builder
         */
        public Builder poolClock(PoolClock clock) {
            this.poolClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param timeout the default time an ask waits, positive
         * @return this builder
         */
        public Builder askTimeout(Duration timeout) {
            this.askTimeout = positive(timeout, "askTimeout");
            return this;
        }

        /**
         * @param timeout the time each actor's start hook may take, positive
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive(timeout, "startTimeout");
            return this;
        }

        /**
         * @param messages how many messages an actor handles on the shared pool before yielding, at least 1
         * @return this builder
         */
        public Builder throughput(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("throughput must be >= 1, but was " + messages);
            }
            this.throughput = messages;
            return this;
        }

        /**
         * @param threads the shared pool's threads, at least 1 (default: one per core)
         * @return this builder
         */
        public Builder parallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1, but was " + threads);
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * @param monitor sees every message and status change
         * @return this builder
         */
        public Builder monitor(ActorMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /**
         * @param config settings that override those given in code, per actor
         * @return this builder
         */
        public Builder config(ActorSystemConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Serves this system's {@link ActorSystem#inspector()} on a local Unix-domain socket while
         * it runs, so that {@code ensemble-shell --pid PID} can attach (docs/SHELL.md). The socket
         * is readable only by this process's user, in a directory only that user may use; {@code
         * access} is what every local shell may do. The configuration's {@code "inspect"} key
         * overrides this. Without a shell attached it costs nothing measurable (docs/BENCHMARKS.md,
         * {@code inspect-on-vs-off}); a socket that cannot open is logged and the system runs
         * without it ({@link ActorSystem#inspectionSocket()} is then empty).
         *
         * <pre>{@code
         * ActorSystem system = ActorSystem.builder("piano").inspect(InspectionAccess.READ).add(...).start();
         * system.inspectionSocket().ifPresent(s -> log.info("inspect: ensemble-shell --socket {}", s));
         * }</pre>
         *
         * @param access what local shells may do, or null for no socket (the default)
         * @return this builder
         */
        public Builder inspect(InspectionAccess access) {
            this.inspect = access;
            return this;
        }

        /**
         * Starts a remote layer with the system, before any actor, so that an actor may depend on
         * one that the configuration places on another node: it receives the layer's client for it
         * through {@code dependency(TOKEN)}, {@code reactToState}, {@code reactToEvents} and {@code
         * watch}, exactly as it would a local dependency's. The layer must attach itself ({@link
         * #attachRemote}) when it starts, as ensemble-remote's {@code RemoteActors} does:
         *
         * <pre>{@code
         * ActorSystem system = ActorSystem.builder("app")
         *         .config(ActorSystemConfig.fromFile(Path.of("app.json")))   // places "counter"
         *         .remote(s -> RemoteActors.builder(s, transport).start())
         *         .add(COUNTER, Counter::new)
         *         .add(DISPLAY, Display::new, COUNTER)   // gets the remote counter's client
         *         .start();
         * }</pre>
         *
         * The system closes the layer when it stops, after its actors. If the layer cannot start,
         * or starts without attaching, {@link #start()} fails and nothing is left running. Without
         * a remote layer here, a dependency on a placed actor is an error at {@link #start()}; a
         * layer started later still serves {@link ActorSystem#client} of placed actors.
         *
         * @param layer starts the remote layer for the system; called once by {@link #start()}
         * @return this builder
         */
        public Builder remote(Function<? super ActorSystem, ? extends AutoCloseable> layer) {
            this.remoteLayer = Objects.requireNonNull(layer, "layer");
            return this;
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, but was " + duration);
            }
            return duration;
        }

        /**
         * Checks the dependency graph and starts every actor in dependency order.
         *
         * @return the running system
         * @throws ActorSystemException if an actor is registered twice, a dependency is missing,
         *     the dependencies form a cycle, the configuration names an unknown actor, or a start
         *     hook fails or times out (the actors already started are stopped again)
         */
        public ActorSystem start() {
            List<Registration<?>> order = StartOrder.of(name, registrations, config, remoteLayer != null);
            List<SupervisorSpec> trees = new ArrayList<>(supervisors);
            try {
                trees.addAll(config.supervisors(factories::get));
            } catch (IllegalArgumentException e) {
                throw new ActorSystemException("cannot start actor system \"" + name + "\": " + e.getMessage(), e);
            }
            int threads = parallelism != null
                    ? parallelism
                    : config.parallelism().orElse(Runtime.getRuntime().availableProcessors());
            ActorSystem system = new ActorSystem(this, threads);
            startRemoteLayer(system);
            String current = null;
            try {
                for (Registration<?> registration : order) {
                    current = registration.token().name();
                    startAndWait(system.actors.register(
                            registration,
                            config.apply(registration.token().name(), registration.props()),
                            system.placedDependencies(registration.dependencies())));
                }
                current = "(supervision trees)";
                PoolClock clock = poolClock != null
                        ? poolClock
                        : new TimerPoolClock(system.actors.services().timer());
                system.tree.grow(name, trees, system.actors, system.actors.names(), clock);
                for (ActorCell<?> cell : system.tree.startOrder()) {
                    current = cell.name();
                    startAndWait(cell);
                }
                system.tree.started();
                InspectionAccess access = config.inspect(inspect);
                if (access != null) {
                    system.openInspectionServer(access);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                system.stop(DEFAULT_STOP_TIMEOUT);
                throw new ActorSystemException("interrupted while starting actor \"" + current + "\"", e);
            } catch (RuntimeException e) {
                system.stop(DEFAULT_STOP_TIMEOUT);
                if (e instanceof ActorSystemException) {
                    throw e;
                }
                throw new ActorSystemException("actor \"" + current + "\" could not be created: " + e.getMessage(), e);
            }
            return system;
        }

        private void startRemoteLayer(ActorSystem system) {
            if (remoteLayer == null) {
                return;
            }
            try {
                system.ownedRemote = Objects.requireNonNull(remoteLayer.apply(system), "the remote layer");
            } catch (RuntimeException e) {
                system.stop(DEFAULT_STOP_TIMEOUT);
                throw new ActorSystemException(
                        "cannot start actor system \"" + name + "\": its remote layer failed to start: " + e, e);
            }
            if (system.remote.get() == null) {
                system.stop(DEFAULT_STOP_TIMEOUT);
                throw new ActorSystemException("cannot start actor system \"" + name + "\": the remote layer given"
                        + " to Builder.remote started without attaching itself (ActorSystem.attachRemote), so"
                        + " the actors placed on other nodes cannot be reached");
            }
        }

        private void startAndWait(ActorCell<?> cell) throws InterruptedException {
            CompletableFuture<Void> started = cell.start();
            try {
                started.get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                cell.forceStop("its start hook did not finish within " + startTimeout.toMillis() + " ms");
                throw new ActorSystemException(
                        "actor \"" + cell.name() + "\" did not start within " + startTimeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                cell.forceStop("its start hook failed");
                throw new ActorSystemException(
                        "actor \"" + cell.name() + "\" failed to start: " + e.getCause(), e.getCause());
            }
        }
    }
}
