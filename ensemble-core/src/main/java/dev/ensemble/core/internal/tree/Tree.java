package dev.ensemble.core.internal.tree;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystemException;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.Route;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.BusEndpoint;
import dev.ensemble.core.supervision.ChildSpec;
import dev.ensemble.core.supervision.PoolClock;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the supervision trees of one system, made from their specs: the supervisors by
 * path, their buses, and the cells in start order (which the system starts and, in reverse,
 * stops).
 *
 * <p>Threading: made by the building thread; afterwards thread-safe.
 */
public final class Tree {
    private static final Logger LOG = LoggerFactory.getLogger(Tree.class);

    private final Map<String, SupervisorNode> supervisors = new LinkedHashMap<>();
    private final Map<String, PoolNode> pools = new LinkedHashMap<>();
    private final List<ActorCell<?>> startOrder = new ArrayList<>();
    private final BusRouter rootBus;
    private final Executor executor;
    private final DeadLetters deadLetters;
    /** Opens the supervisors' serial orders once every actor has started ({@link #started()}). */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    /**
     * The specs by path, for the routes' second pass and, once running, for the routes recompiled
     * when a child is added; a supervisor's entry is replaced in its serial order.
     */
    private final Map<String, SupervisorSpec> specs = new ConcurrentHashMap<>();
    /** Set by {@link #grow}. */
    private volatile TreeServices shared;

    private Tree(Executor executor, DeadLetters deadLetters) {
        this.executor = executor;
        this.deadLetters = deadLetters;
        this.rootBus = new BusRouter("/", deadLetters);
    }

    /**
     * An empty tree: its root bus exists from the start, for actors of the root that publish.
     *
     * @param executor where supervisors decide
     * @param deadLetters the system's dead-letter office
     * @return the tree, to {@link #grow} once the root's actors exist
     */
    public static Tree create(Executor executor, DeadLetters deadLetters) {
        return new Tree(executor, deadLetters);
    }

    /**
     * Checks the trees, then makes their supervisors and cells (started by the caller, in
     * {@link #startOrder()}). Called once, by the building thread.
     *
     * @param systemName for the error
     * @param trees the supervisors directly under the root
     * @param cells makes and lists cells
     * @param rootActors the names of the actors of the root
     * @param clock what drives the pools' resizers
     * @throws ActorSystemException naming every problem found
     */
    public void grow(
            String systemName, List<SupervisorSpec> trees, CellMaker cells, Set<String> rootActors, PoolClock clock) {
        TreeServices shared = new TreeServices(executor, deadLetters, started, cells, clock);
        this.shared = shared;
        List<String> problems = new TreeValidator(rootActors).validate(trees);
        if (!problems.isEmpty()) {
            throw new ActorSystemException(
                    "cannot start actor system \"" + systemName + "\": " + String.join("; ", problems));
        }
        for (SupervisorSpec spec : trees) {
            make(spec, "/" + spec.name(), null, shared);
        }
        for (SupervisorNode node : supervisors.values()) {
            compileRoutes(node, specs.get(node.path()));
        }
    }

    private SupervisorNode make(SupervisorSpec spec, String path, SupervisorNode parent, TreeServices shared) {
        SupervisorNode node = new SupervisorNode(path, spec.name(), spec.strategy(), spec.limits(), parent, shared);
        supervisors.put(path, node);
        specs.put(path, spec);
        List<TreeMember> members = new ArrayList<>();
        Map<String, ActorCell<?>> siblings = new HashMap<>();
        for (ChildSpec child : spec.children()) {
            String childPath = path + "/" + child.name();
            if (child instanceof SupervisorSpec nested) {
                members.add(make(nested, childPath, node, shared));
            } else if (child instanceof WorkerSpec<?> worker) {
                ActorCell<?> cell = makeWorker(worker, childPath, siblings, shared.cells());
                cell.supervisedBy(node);
                cell.publishesTo(node.router());
                siblings.put(worker.name(), cell);
                startOrder.add(cell);
                members.add(new WorkerMember(worker.name(), cell));
            } else if (child instanceof PoolSpec<?> poolSpec) {
                PoolNode pool = new PoolNode(childPath, poolSpec, node, shared);
                startOrder.addAll(pool.makeInitialReplicas());
                pools.put(childPath, pool);
                members.add(pool);
            }
        }
        node.children(members);
        return node;
    }

    private static <S> ActorCell<S> makeWorker(
            WorkerSpec<S> worker, String path, Map<String, ActorCell<?>> siblings, CellMaker cells) {
        Map<ActorToken<?, ?>, ActorCell<?>> dependencies = new HashMap<>();
        for (ActorToken<?, ?> dependency : worker.dependencies()) {
            ActorCell<?> cell = siblings.get(dependency.name());
            dependencies.put(dependency, cell != null ? cell : cells.rootActor(dependency.name()));
        }
        return cells.make(worker.token(), path, worker.factory(), worker.props(), dependencies, false);
    }

    /** Handlers declared by children come first, in child order, then the explicit routes. */
    private void compileRoutes(SupervisorNode node, SupervisorSpec spec) {
        Map<String, List<BusRouter.Target>> table = new LinkedHashMap<>();
        Map<String, TreeMember> byName = new HashMap<>();
        for (TreeMember member : node.children()) {
            byName.put(member.name(), member);
        }
        for (ChildSpec child : spec.children()) {
            Set<String> handles = child instanceof WorkerSpec<?> worker
                    ? worker.handles()
                    : child instanceof PoolSpec<?> pool ? pool.handles() : Set.of();
            for (String handled : handles) {
                table.computeIfAbsent(handled, k -> new ArrayList<>())
                        .add(new BusRouter.Local(byName.get(child.name())));
            }
        }
        spec.routes().routes().forEach((name, routes) -> {
            for (Route route : routes) {
                BusRouter.Target target = route instanceof Route.Forward forward
                        ? new BusRouter.Forward(
                                supervisors.get(forward.namespace()).router(), forward.name())
                        : new BusRouter.Local(byName.get(((Route.ToChild) route).child()));
                table.computeIfAbsent(name, k -> new ArrayList<>()).add(target);
            }
        });
        node.router().table(table);
    }

    /** @return every cell of every tree, in start order: depth first, children in order */
    public List<ActorCell<?>> startOrder() {
        return List.copyOf(startOrder);
    }

    /** @return where actors of the system's root publish: a namespace with no routes */
    public BusEndpoint rootBus() {
        return rootBus;
    }

    /** @return the paths of every supervisor */
    public Set<String> namespaces() {
        return supervisors.keySet();
    }

    /** @return the paths of every pool */
    public Set<String> poolPaths() {
        return pools.keySet();
    }

    /**
     * The system has started every actor: supervisors begin to answer failures (one reported
     * during the start waits until now), and the pools' resizers begin to tick.
     */
    public void started() {
        started.complete(null);
        for (PoolNode pool : pools.values()) {
            pool.startTicking();
        }
    }

    /**
     * @param path a pool's path
     * @param token the type its client offers
     * @return the pool's client, or null if no pool has this path
     * @throws IllegalArgumentException if the pool's workers offer other actions
     */
    public <A, S> ActorClient<A, S> poolClient(String path, ActorToken<A, S> token) {
        PoolNode pool = pools.get(path);
        if (pool == null) {
            return null;
        }
        if (pool.spec().token().actions() != token.actions()) {
            throw new IllegalArgumentException(
                    "pool " + path + " offers " + pool.spec().token().actions().getName() + ", not "
                            + token.actions().getName());
        }
        return new PoolClient<>(pool, token, null, null);
    }

    /**
     * @param path a pool's path
     * @param size the replicas it should have
     * @return completes with its size once resized
     * @throws IllegalArgumentException if no pool has this path or the size is outside its bounds
     */
    public CompletableFuture<Integer> resizePool(String path, int size) {
        PoolNode pool = pools.get(path);
        if (pool == null) {
            throw new IllegalArgumentException("no pool at path " + path + " (pools: " + pools.keySet() + ")");
        }
        return pool.resizeOnRequest(size);
    }

    /**
     * Adds a worker to a running supervisor, in its serial order (never during a restart it
     * ordered): it becomes its last child, takes the bus messages it handles, and starts.
     *
     * @param path the supervisor's path
     * @param worker the worker; it may depend on the supervisor's workers and on actors of the root
     * @return completes with the worker's path once its start hook has run; fails with an
     *     {@link IllegalArgumentException} naming every problem, or with what the start hook threw
     *     (the worker is then removed again)
     * @throws IllegalArgumentException if no supervisor has this path
     */
    public CompletableFuture<String> addWorker(String path, WorkerSpec<?> worker) {
        SupervisorNode node = supervisors.get(path);
        if (node == null) {
            throw new IllegalArgumentException(
                    "no supervisor at path " + path + " (supervisors: " + supervisors.keySet() + ")");
        }
        CompletableFuture<String> added = new CompletableFuture<>();
        try {
            node.inOrder(() -> step(node, worker, added));
        } catch (RejectedExecutionException stopping) {
            added.completeExceptionally(
                    new IllegalStateException("supervisor " + path + " has stopped: its system is stopping", stopping));
        }
        return added;
    }

    /** The step of the supervisor's order that adds the worker; completes {@code added} either way. */
    private CompletableFuture<Void> step(SupervisorNode node, WorkerSpec<?> worker, CompletableFuture<String> added) {
        try {
            return add(node, worker).handle((childPath, failure) -> {
                if (failure != null) {
                    added.completeExceptionally(failure);
                } else {
                    added.complete(childPath);
                }
                return null;
            });
        } catch (RuntimeException refused) {
            added.completeExceptionally(refused);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<String> add(SupervisorNode node, WorkerSpec<?> worker) {
        String childPath = node.path() + "/" + worker.name();
        if (node.isStopped()) {
            throw new IllegalStateException("supervisor " + node.path() + " has stopped: cannot add " + childPath);
        }
        CellMaker cells = shared.cells();
        Set<String> siblings = new HashSet<>();
        Map<String, ActorCell<?>> workers = new HashMap<>();
        for (TreeMember member : node.children()) {
            siblings.add(member.name());
            if (member instanceof WorkerMember sibling) {
                workers.put(sibling.name(), sibling.cell());
            }
        }
        Set<String> rootActors = new HashSet<>();
        for (ActorToken<?, ?> dependency : worker.dependencies()) {
            if (!dependency.name().startsWith("/") && cells.rootActor(dependency.name()) != null) {
                rootActors.add(dependency.name());
            }
        }
        List<String> problems =
                new TreeValidator(rootActors).validateAdded(worker, childPath, siblings, workers.keySet());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot add " + childPath + ": " + String.join("; ", problems));
        }
        ActorCell<?> cell = makeWorker(worker, childPath, workers, cells);
        cell.supervisedBy(node);
        cell.publishesTo(node.router());
        WorkerMember member = new WorkerMember(worker.name(), cell);
        List<TreeMember> before = node.children();
        List<TreeMember> after = new ArrayList<>(before);
        after.add(member);
        node.children(after);
        SupervisorSpec spec = specs.get(node.path());
        compileRoutes(node, spec.child(worker));
        return cell.start().handle((ignored, failure) -> {
            if (failure == null) {
                specs.put(node.path(), spec.child(worker));
                LOG.info("supervisor {}: added {}", node.path(), childPath);
                return childPath;
            }
            cell.forceStop("its start hook failed: " + failure);
            node.children(before);
            compileRoutes(node, spec);
            cells.remove(cell);
            throw new CompletionException(failure);
        });
    }

    /** The system is stopping: supervisors decide nothing more. */
    public void shutdown() {
        for (PoolNode pool : pools.values()) {
            pool.shutdown();
        }
        for (SupervisorNode node : supervisors.values()) {
            node.shutdown();
        }
    }
}
