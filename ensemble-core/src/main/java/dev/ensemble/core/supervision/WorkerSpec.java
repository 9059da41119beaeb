package dev.ensemble.core.supervision;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorToken;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One actor under a supervisor of a tree: its token (whose name is its name in the tree), the
 * factory that makes each of its instances, its props (dispatcher and mailbox; its supervision
 * is its supervisor's), the actors it depends on, and the bus messages it handles.
 *
 * <pre>{@code
 * WorkerSpec.of(PRESENCE, Presence::new)
 *     .dependsOn(ROSTER)                  // an earlier sibling, or an actor of the system's root
 *     .handling("peer-joined", "peer-left")
 * }</pre>
 *
 * <p>A worker that handles bus messages must offer {@link dev.ensemble.core.bus.BusReceiver} in
 * its actions interface. Thread-safe: immutable; {@code with} methods return copies.
 *
 * @param token its token; its name is the worker's name among its siblings
 * @param factory makes a fresh instance for the start and for every restart
 * @param props its dispatcher and mailbox
 * @param dependencies earlier siblings or actors of the system's root that it uses
 * @param handles the names of the bus messages its namespace routes to it
 * @param <S> its state type
 */
public record WorkerSpec<S>(
        ActorToken<?, S> token,
        Supplier<? extends Actor<S>> factory,
        ActorProps props,
        List<ActorToken<?, ?>> dependencies,
        Set<String> handles)
        implements ChildSpec {

    /**
     * Copies the collections.
     *
     * @param token not null
     * @param factory not null
     * @param props not null
     * @param dependencies not null
     * @param handles not null
     */
    public WorkerSpec {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(props, "props");
        dependencies = List.copyOf(dependencies);
        handles = Set.copyOf(handles);
    }

    /**
     * @param token its token
     * @param factory makes its instances
     * @param <S> its state type
     * @return a worker with default props, no dependencies, handling no bus message
     */
    public static <S> WorkerSpec<S> of(ActorToken<?, S> token, Supplier<? extends Actor<S>> factory) {
        return new WorkerSpec<>(token, factory, ActorProps.defaults(), List.of(), Set.of());
    }

    @Override
    public String name() {
        return token.name();
    }

    /**
     * @param props its dispatcher and mailbox
     * @return a copy
     */
    public WorkerSpec<S> withProps(ActorProps props) {
        return new WorkerSpec<>(token, factory, props, dependencies, handles);
    }

    /**
     * @param tokens the actors it uses
     * @return a copy
     */
    public WorkerSpec<S> dependsOn(ActorToken<?, ?>... tokens) {
        return new WorkerSpec<>(token, factory, props, List.of(tokens), handles);
    }

    /**
     * @param names the bus messages it handles
     * @return a copy
     */
    public WorkerSpec<S> handling(String... names) {
        return new WorkerSpec<>(token, factory, props, dependencies, Set.of(names));
    }
}
