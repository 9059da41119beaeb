package dev.ensemble.core.internal.tree;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.Cancellable;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.bus.BusMessage;
import dev.ensemble.core.bus.BusReceiver;
import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.BusEndpoint;
import dev.ensemble.core.internal.cell.BusyClock;
import dev.ensemble.core.supervision.PoolClock;
import dev.ensemble.core.supervision.PoolResized;
import dev.ensemble.core.supervision.PoolRouting;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.RestartStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: a pool: replicas of one worker behind one client, supervised one for one by an
 * inner {@link SupervisorNode}, routed by {@link PoolRouting} and resized by a
 * {@link PoolResizer} on its clock's ticks and on arrivals that find a replica's backlog above
 * the arrival threshold. Resizes run in the inner supervisor's serial order, so that they never
 * interleave with restarts.
 *
 * <p>The arrival check costs a routed call one read of its replica's mailbox count (none once
 * the pool has its upper bound of replicas); only above the threshold does it read the clock, and then at most one decision waits in the serial order
 * at a time ({@link #arrivalPending}), and none is queued for a period after a decision not to
 * grow ({@link #arrivalQuietUntil}). The cool-down does not hold arrivals: see
 * {@link PoolResizer#onArrival}.
 *
 * <p>A replica leaves the routing before it stops: it is removed from {@link #routed}, then
 * {@link Replica#drain()} waits for the calls being routed to it, then it stops after what it
 * holds. A caller that picked it just before is sent to another replica.
 *
 * <p>Threading: thread-safe; {@link #routed} is replaced, never changed, by resize steps.
 */
final class PoolNode implements TreeMember {
    private static final Logger LOG = LoggerFactory.getLogger(PoolNode.class);

    private final String path;
    private final PoolSpec<?> spec;
    private final SupervisorNode supervisor;
    private final CellMaker cells;
    private final BusEndpoint namespaceBus;
    private final PoolClock clock;
    private final Executor executor;
    private final AtomicInteger replicaNumbers = new AtomicInteger();
    private final AtomicLong roundRobin = new AtomicLong();
    private final List<Consumer<? super ActorEvent>> eventListeners = new CopyOnWriteArrayList<>();

    /** The replicas that take calls; replaced by resize steps, read by every caller. */
    private volatile Replica[] routed = new Replica[0];
    /** The ring over {@link #routed} for consistent-hash routing, replaced with it; else null. */
    private volatile HashRing ring;
    /** Order-owned; null for a pool of fixed size. */
    private final PoolResizer resizer;
    /** Set when ticking starts, after the system started. */
    private volatile Cancellable ticks;
    /** Waiting messages in a replica above which an arrival asks for a decision; 0: never. */
    private final int arrivalThreshold;
    /** The resizer's upper bound: a pool that has it asks for nothing on arrival. */
    private final int arrivalUpper;
    /** Set while an arrival's decision waits in or runs in the serial order. */
    private final AtomicBoolean arrivalPending = new AtomicBoolean();
    /**
     * Clock time before which arrivals ask for no decision (a period after a decision not to grow),
     * unless a replica's backlog reaches {@link #arrivalQuietBelow}.
     */
    private volatile long arrivalQuietUntil;
    /**
     * The backlog in one replica that ends the quiet at once: twice the one the last decision not
     * to grow was asked for. The quiet keeps a steady backlog from asking at every message; the bar
     * lets a backlog that keeps growing (a burst) ask again within the period, at most once per
     * doubling, so a period after a no is not a period in which a burst can pile up unseen.
     */
    private volatile int arrivalQuietBelow;

    PoolNode(String path, PoolSpec<?> spec, SupervisorNode parent, TreeServices shared) {
        this.path = path;
        this.spec = spec;
        this.cells = shared.cells();
        this.clock = shared.clock();
        this.executor = shared.executor();
        this.namespaceBus = parent.router();
        this.supervisor =
                new SupervisorNode(path, spec.name(), RestartStrategy.ONE_FOR_ONE, spec.limits(), parent, shared);
        supervisor.representedBy(this);
        this.resizer = spec.resizer() != null ? new PoolResizer(spec.resizer()) : null;
        this.arrivalThreshold = spec.resizer() != null ? spec.resizer().arrivalThreshold() : 0;
        this.arrivalUpper = spec.resizer() != null ? spec.resizer().upper() : 0;
        this.arrivalQuietUntil = clock.nanoTime();
    }

    /** Makes the first replicas, not started; the system starts them with the other cells. */
    List<ActorCell<?>> makeInitialReplicas() {
        List<Replica> made = new ArrayList<>();
        for (int i = 0; i < spec.size(); i++) {
            made.add(newReplica());
        }
        publish(made.toArray(Replica[]::new));
        return made.stream().<ActorCell<?>>map(Replica::cell).toList();
    }

    private Replica newReplica() {
        int number = replicaNumbers.incrementAndGet();
        String replicaPath = path + "/" + number;
        ActorCell<?> cell = makeCell(spec, replicaPath);
        cell.supervisedBy(supervisor);
        cell.publishesTo(namespaceBus);
        BusyClock busy = new BusyClock(clock::nanoTime);
        cell.measureBusyTime(busy);
        return new Replica(number, cell, busy);
    }

    private <S> ActorCell<S> makeCell(PoolSpec<S> pool, String replicaPath) {
        return cells.make(pool.token(), replicaPath, pool.factory(), pool.props(), Map.of(), true);
    }

    /**
     * Routes to {@code replicas}, and supervises them. Called before start, or by a step of the
     * serial order (a grow step's replicas call it as each starts, under this pool's lock).
     */
    private void publish(Replica[] replicas) {
        setRouted(replicas);
        List<TreeMember> members = new ArrayList<>();
        for (Replica replica : replicas) {
            members.add(new WorkerMember(replica.cell().name(), replica.cell()));
        }
        supervisor.children(members);
    }

    int size() {
        return routed.length;
    }

    /** A new replica has started, during a grow step: it joins the routing. */
    private synchronized void addRouted(Replica replica) {
        Replica[] current = routed;
        Replica[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = replica;
        publish(next);
    }

    PoolSpec<?> spec() {
        return spec;
    }

    // ---------------------------------------------------------------- routing (any thread)

    private void setRouted(Replica[] replicas) {
        if (spec.routing() == PoolRouting.CONSISTENT_HASH) {
            ring = HashRing.of(replicas);
        }
        routed = replicas;
    }

    /**
     * Runs {@code call} with a replica's cell while that replica cannot be stopped.
     *
     * @param key what consistent-hash routing hashes; ignored by the other routings
     * @throws ActorStoppedException if the pool has no replica left
     */
    <R> R route(Object key, Function<ActorCell<?>, R> call) {
        while (true) {
            Replica[] replicas = routed;
            if (replicas.length == 0) {
                throw new ActorStoppedException(path, "pool " + path + " has no running replica");
            }
            Replica replica = pick(replicas, key);
            if (replica.enter()) {
                R result;
                try {
                    result = call.apply(replica.cell());
                } finally {
                    replica.exit();
                }
                if (arrivalThreshold > 0 && replicas.length < arrivalUpper) {
                    int waiting = replica.cell().mailboxSize();
                    if (waiting > arrivalThreshold) {
                        onPressure(waiting);
                    }
                }
                return result;
            }
        }
    }

    private Replica pick(Replica[] replicas, Object key) {
        if (spec.routing() == PoolRouting.CONSISTENT_HASH) {
            Replica owner = ring.owner(key);
            return owner != null ? owner : replicas[0];
        }
        if (spec.routing() == PoolRouting.SMALLEST_MAILBOX) {
            Replica best = replicas[0];
            int smallest = best.cell().mailboxSize();
            for (int i = 1; i < replicas.length && smallest > 0; i++) {
                int size = replicas[i].cell().mailboxSize();
                if (size < smallest) {
                    best = replicas[i];
                    smallest = size;
                }
            }
            return best;
        }
        return replicas[(int) Math.floorMod(roundRobin.getAndIncrement(), (long) replicas.length)];
    }

    /** @return the cell of the first replica, or null if none runs */
    ActorCell<?> firstReplica() {
        Replica[] replicas = routed;
        return replicas.length == 0 ? null : replicas[0].cell();
    }

    Subscription onEvent(Consumer<? super ActorEvent> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    // ---------------------------------------------------------------- resizing

    /** Starts the resizer's ticks; nothing for a pool of fixed size. */
    void startTicking() {
        if (resizer != null) {
            ticks = clock.schedule(spec.resizer().period(), this::tick);
        }
    }

    /** A tick of the clock: measures now, decides in the serial order. */
    void tick() {
        PoolResizer.Sample sample = sample();
        try {
            supervisor.inOrder(() -> decide(sample));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("pool {}: tick after its system stopped", path);
        }
    }

    private PoolResizer.Sample sample() {
        int queued = 0;
        long busy = 0;
        for (Replica replica : routed) {
            queued += replica.cell().mailboxSize();
            busy += replica.busyNanos();
        }
        return new PoolResizer.Sample(clock.nanoTime(), queued, busy);
    }

    private CompletableFuture<Void> decide(PoolResizer.Sample sample) {
        if (supervisor.isStopped()) {
            return CompletableFuture.completedFuture(null);
        }
        int from = routed.length;
        return carryOut(from, resizer.onSample(sample, from));
    }

    /**
     * A routed call left {@code waiting} messages in its replica, above the arrival threshold:
     * unless a decision is pending or arrivals are quiet, decide in the serial order.
     */
    private void onPressure(int waiting) {
        if (arrivalPending.get() || (waiting < arrivalQuietBelow && clock.nanoTime() - arrivalQuietUntil < 0)) {
            return;
        }
        if (!arrivalPending.compareAndSet(false, true)) {
            return;
        }
        try {
            supervisor.inOrder(() -> decideOnArrival(waiting));
        } catch (RejectedExecutionException stopping) {
            arrivalPending.set(false);
            LOG.debug("pool {}: arrival after its system stopped", path);
        }
    }

    private CompletableFuture<Void> decideOnArrival(int waiting) {
        if (supervisor.isStopped()) {
            return CompletableFuture.completedFuture(null);
        }
        PoolResizer.Sample sample = sample();
        int from = routed.length;
        PoolResizer.Decision decision = resizer.onArrival(sample, from, waiting);
        if (decision == null) {
            // Not now: the backlog was one replica's, or drained meanwhile.
            // Arrivals ask again after a sampling period, not at every message meanwhile.
            arrivalQuietUntil = sample.atNanos() + spec.resizer().period().toNanos();
            arrivalQuietBelow = (int) Math.min(Integer.MAX_VALUE, 2L * waiting);
            arrivalPending.set(false);
            return CompletableFuture.completedFuture(null);
        }
        return carryOut(from, decision).whenComplete((ignored, failure) -> arrivalPending.set(false));
    }

    /** Makes the decided resize, if any, then starts the cool-down and announces it. */
    private CompletableFuture<Void> carryOut(int from, PoolResizer.Decision decision) {
        if (decision == null || decision.target() == from) {
            return CompletableFuture.completedFuture(null);
        }
        return resizeTo(decision.target()).thenRun(() -> {
            resized();
            announce(new PoolResized(
                    path,
                    from,
                    routed.length,
                    decision.reason(),
                    decision.queued(),
                    decision.queueGrowth(),
                    decision.busyFraction()));
        });
    }

    /**
     * Resizes on request (an operator, a test), in the serial order like the resizer's own.
     *
     * @return completes with the new size
     * @throws IllegalArgumentException if {@code target} is outside the pool's bounds
     */
    CompletableFuture<Integer> resizeOnRequest(int target) {
        int lower = spec.resizer() != null ? spec.resizer().lower() : 1;
        int upper = spec.resizer() != null ? spec.resizer().upper() : Integer.MAX_VALUE;
        if (target < lower || target > upper) {
            throw new IllegalArgumentException(
                    "pool " + path + " cannot have " + target + " replicas: its bounds are " + lower + ".." + upper);
        }
        CompletableFuture<Integer> resized = new CompletableFuture<>();
        supervisor.inOrder(() -> {
            int from = routed.length;
            return resizeTo(target).whenComplete((ignored, failure) -> {
                if (from != routed.length) {
                    resized();
                    announce(new PoolResized(path, from, routed.length, "resized on request", queued(), 0, 0));
                }
                resized.complete(routed.length);
            });
        });
        return resized;
    }

    /**
     * A resize was made: the resizer's cool-down starts. Arrivals may ask again at once: the
     * arrival rule is not held by the cool-down (see {@link PoolResizer#onArrival}), and what
     * waits above its threshold now is pressure the step just made was not sized for.
     */
    private void resized() {
        if (resizer != null) {
            long now = clock.nanoTime();
            resizer.resized(now);
            arrivalQuietUntil = now;
            arrivalQuietBelow = 0;
        }
    }

    private int queued() {
        int queued = 0;
        for (Replica replica : routed) {
            queued += replica.cell().mailboxSize();
        }
        return queued;
    }

    /** Grows or shrinks to {@code target} replicas; runs in the serial order. */
    CompletableFuture<Void> resizeTo(int target) {
        Replica[] current = routed;
        if (target > current.length) {
            // Each new replica takes calls as soon as it has started, not once all have: a burst
            // that made the pool grow is spread over them sooner.
            List<CompletableFuture<Void>> routedOnStart = new ArrayList<>();
            for (int i = current.length; i < target; i++) {
                Replica replica = newReplica();
                routedOnStart.add(replica.cell().start().handle((ignored, failure) -> {
                    if (failure != null || replica.cell().status() == ActorStatus.STOPPED) {
                        LOG.error("pool {}: a new replica failed to start; the pool grows without it", path, failure);
                        cells.remove(replica.cell());
                    } else {
                        addRouted(replica);
                    }
                    return null;
                }));
            }
            return CompletableFuture.allOf(routedOnStart.toArray(CompletableFuture[]::new));
        }
        Replica[] kept = Arrays.copyOf(current, target);
        Replica[] removed = Arrays.copyOfRange(current, target, current.length);
        setRouted(kept);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Replica replica : removed) {
            replica.drain();
            stops.add(replica.cell().stopGracefully().thenRun(() -> cells.remove(replica.cell())));
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).thenRun(() -> publish(kept));
    }

    private void announce(PoolResized resized) {
        LOG.info(
                "pool {} resized {} -> {}: {} (queued {}, growth {}, busy {})",
                path,
                resized.from(),
                resized.to(),
                resized.reason(),
                resized.queued(),
                resized.queueGrowth(),
                resized.busyFraction());
        ActorEvent event = new ActorEvent(path, PoolResized.EVENT, resized);
        for (Consumer<? super ActorEvent> listener : eventListeners) {
            try {
                executor.execute(() -> listener.accept(event));
            } catch (RejectedExecutionException stopping) {
                return;
            }
        }
    }

    /** The system is stopping: no more ticks or decisions. */
    void shutdown() {
        Cancellable t = ticks;
        if (t != null) {
            t.cancel();
        }
        supervisor.shutdown();
    }

    // ---------------------------------------------------------------- as a child of its supervisor

    @Override
    public String path() {
        return path;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CompletableFuture<Void> suspend(Throwable cause) {
        return supervisor.suspend(cause);
    }

    @Override
    public CompletableFuture<Void> restart() {
        return supervisor.restart();
    }

    @Override
    public CompletableFuture<Void> stop() {
        Cancellable t = ticks;
        if (t != null) {
            t.cancel();
        }
        return supervisor.stop();
    }

    @Override
    public boolean awaitingDecision() {
        return supervisor.awaitingDecision();
    }

    @Override
    public void deliver(BusMessage message) {
        route(message.data(), cell -> {
            ((BusReceiver) cell.client().actions()).receive(message);
            return null;
        });
    }

    @Override
    public String toString() {
        return path;
    }
}
