package dev.ensemble.core.supervision;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorToken;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A pool: a supervisor that runs several replicas of one worker behind one client. A call
 * through the pool's client ({@code system.client("/files/readers", READER)}) goes to one
 * replica, picked by {@link PoolRouting}; so does a bus message routed to the pool. Replicas
 * are restarted one for one within the pool's {@code limits}; a pool that exceeds them escalates
 * like any supervisor. With a {@link ResizerSpec} the pool grows and shrinks with the measured
 * pressure; without, it keeps {@code size} replicas.
 *
 * <pre>{@code
 * PoolSpec.of(READER, Reader::new, 2)
 *     .withProps(ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated()))  // blocking I/O
 *     .withResizer(ResizerSpec.between(1, 16))
 *     .withRouting(PoolRouting.SMALLEST_MAILBOX)
 *     .handling("read")
 * }</pre>
 *
 * <p>Replicas have paths {@code /files/readers/1}, {@code /files/readers/2} ..., numbers never
 * reused. Each replica is independent: per-sender order holds per replica, not across the pool.
 * Thread-safe: immutable; {@code with} methods return copies.
 *
 * @param worker what each replica is: its token (whose name is the pool's name), factory, props
 *     (dispatcher and mailbox) and the bus messages its namespace routes to the pool; replicas
 *     depend on no other actor
 * @param size the replicas at start (clamped into the resizer's bounds)
 * @param routing how a replica is picked
 * @param resizer how the pool resizes, or null for a fixed size
 * @param limits the replicas' restart intensity and backoff, shared by the pool
 * @param <S> the worker's state type
 */
public record PoolSpec<S>(
        WorkerSpec<S> worker, int size, PoolRouting routing, ResizerSpec resizer, SupervisorStrategy limits)
        implements ChildSpec {

    /**
     * Validates.
     *
     * @param worker not null, with no dependencies
     * @param size at least 1, within the resizer's bounds if it has one
     * @param routing not null
     * @param resizer may be null
     * @param limits not null
     */
    public PoolSpec {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(limits, "limits");
        if (!worker.dependencies().isEmpty()) {
            throw new IllegalArgumentException("pool " + worker.name() + ": replicas cannot depend on other actors,"
                    + " but its worker depends on " + worker.dependencies());
        }
        if (size < 1) {
            throw new IllegalArgumentException("pool " + worker.name() + ": size must be >= 1, but was " + size);
        }
        if (resizer != null && (size < resizer.lower() || size > resizer.upper())) {
            throw new IllegalArgumentException("pool " + worker.name() + ": size " + size + " is outside the resizer's"
                    + " bounds " + resizer.lower() + ".." + resizer.upper());
        }
    }

    /**
     * @param token the worker's token
     * @param factory makes its instances
     * @param size the replicas
     * @param <S> its state type
     * @return a fixed-size round-robin pool
     */
    public static <S> PoolSpec<S> of(ActorToken<?, S> token, Supplier<? extends Actor<S>> factory, int size) {
        return of(WorkerSpec.of(token, factory), size);
    }

    /**
     * @param worker what each replica is; its props and the names it handles are the pool's
     * @param size the replicas
     * @param <S> its state type
     * @return a fixed-size round-robin pool
     */
    public static <S> PoolSpec<S> of(WorkerSpec<S> worker, int size) {
        return new PoolSpec<>(worker, size, PoolRouting.ROUND_ROBIN, null, SupervisorSpec.DEFAULT_LIMITS);
    }

    @Override
    public String name() {
        return worker.name();
    }

    /** @return the worker's token */
    public ActorToken<?, S> token() {
        return worker.token();
    }

    /** @return what makes each replica's instances */
    public Supplier<? extends Actor<S>> factory() {
        return worker.factory();
    }

    /** @return each replica's dispatcher and mailbox */
    public ActorProps props() {
        return worker.props();
    }

    /** @return the bus messages its namespace routes to it */
    public Set<String> handles() {
        return worker.handles();
    }

    /**
     * @param props each replica's dispatcher and mailbox
     * @return a copy
     */
    public PoolSpec<S> withProps(ActorProps props) {
        return new PoolSpec<>(worker.withProps(props), size, routing, resizer, limits);
    }

    /**
     * @param routing how a replica is picked
     * @return a copy
     */
    public PoolSpec<S> withRouting(PoolRouting routing) {
        return new PoolSpec<>(worker, size, routing, resizer, limits);
    }

    /**
     * @param resizer how the pool resizes; the start size is moved into its bounds
     * @return a copy
     */
    public PoolSpec<S> withResizer(ResizerSpec resizer) {
        int start = Math.max(resizer.lower(), Math.min(resizer.upper(), size));
        return new PoolSpec<>(worker, start, routing, resizer, limits);
    }

    /**
     * @param limits the replicas' restart intensity and backoff
     * @return a copy
     */
    public PoolSpec<S> withLimits(SupervisorStrategy limits) {
        return new PoolSpec<>(worker, size, routing, resizer, limits);
    }

    /**
     * @param names the bus messages it handles
     * @return a copy
     */
    public PoolSpec<S> handling(String... names) {
        return new PoolSpec<>(worker.handling(names), size, routing, resizer, limits);
    }
}
