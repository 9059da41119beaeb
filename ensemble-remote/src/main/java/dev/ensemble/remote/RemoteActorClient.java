package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The client of an actor on another node: an immutable view (ask timeout, callback executor) of a
 * shared {@link RemoteTarget}. Its proxy turns a {@code void} call into a tell frame and a call
 * that returns a future into an ask frame.
 */
final class RemoteActorClient<A, S> implements ActorClient<A, S>, InvocationHandler {
    private final RemoteActors remote;
    private final RemoteTarget<S> target;
    private final ActorToken<A, S> token;
    private final Duration askTimeout;
    private final Executor callbackExecutor;
    private final A proxy;

    RemoteActorClient(
            RemoteActors remote,
            RemoteTarget<S> target,
            ActorToken<A, S> token,
            Duration askTimeout,
            Executor callbackExecutor) {
        this.remote = remote;
        this.target = target;
        this.token = token;
        this.askTimeout = askTimeout;
        this.callbackExecutor = callbackExecutor;
        this.proxy = token.actions()
                .cast(Proxy.newProxyInstance(token.actions().getClassLoader(), new Class<?>[] {token.actions()}, this));
    }

    @Override
    public String name() {
        return token.name();
    }

    @Override
    public ActorToken<A, S> token() {
        return token;
    }

    @Override
    public A actions() {
        return proxy;
    }

    /** Subscribes to the state on first use; null until the first snapshot arrives. */
    @Override
    public S state() {
        if (!target.stateWanted) {
            remote.want(target, true, false, false);
        }
        return target.state;
    }

    @Override
    public ActorStatus status() {
        Link link = target.link;
        if (link.up()) {
            return ActorStatus.RUNNING;
        }
        return link.down() ? ActorStatus.STOPPED : ActorStatus.STARTING;
    }

    @Override
    public Subscription onState(Consumer<? super S> listener) {
        Objects.requireNonNull(listener, "listener");
        OrderedListener<S> l = listener(value -> true, listener, target.stateListeners);
        remote.want(target, true, false, false);
        return l;
    }

    @Override
    public Subscription onEvent(Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        OrderedListener<ActorEvent> l = listener(event -> true, listener, target.eventListeners);
        remote.want(target, false, true, false);
        return l;
    }

    @Override
    public Subscription onEvent(String eventName, Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(eventName, "name");
        Objects.requireNonNull(listener, "listener");
        OrderedListener<ActorEvent> l =
                listener(event -> event.name().equals(eventName), listener, target.eventListeners);
        remote.want(target, false, true, false);
        return l;
    }

    @Override
    public Subscription onDown(Consumer<? super Down> listener) {
        Objects.requireNonNull(listener, "listener");
        OrderedListener<Down> l = listener(signal -> true, listener, target.downListeners);
        remote.want(target, false, false, true);
        return l;
    }

    private <T> OrderedListener<T> listener(
            java.util.function.Predicate<? super T> filter,
            Consumer<? super T> listener,
            java.util.List<OrderedListener<T>> list) {
        OrderedListener<T>[] self = newArray();
        OrderedListener<T> l = new OrderedListener<>(name(), executor(), filter, listener, () -> list.remove(self[0]));
        self[0] = l;
        list.add(l);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static <T> OrderedListener<T>[] newArray() {
        return (OrderedListener<T>[]) new OrderedListener<?>[1];
    }

    @Override
    public ActorClient<A, S> withAskTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, but was " + timeout);
        }
        return new RemoteActorClient<>(remote, target, token, timeout, callbackExecutor);
    }

    @Override
    public ActorClient<A, S> withCallbackExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return new RemoteActorClient<>(remote, target, token, askTimeout, executor);
    }

    private Executor executor() {
        return callbackExecutor != null ? callbackExecutor : remote.defaultExecutor;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> "actions of remote actor \"" + name() + "\" on node " + target.link.peer.shortForm();
            };
        }
        Object[] arguments = args == null ? new Object[0] : args;
        Class<?> returns = method.getReturnType();
        if (returns == void.class) {
            remote.tell(target, method, arguments);
            return null;
        }
        if (returns == CompletableFuture.class || returns == CompletionStage.class) {
            return remote.ask(target, method, arguments, askTimeout, executor());
        }
        throw new IllegalArgumentException(method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + "() returns " + returns.getSimpleName()
                + "; an action must return void (tell) or CompletableFuture/CompletionStage (ask)");
    }

    @Override
    public String toString() {
        return "RemoteActorClient[" + name() + " on " + target.link.peer.shortForm() + "]";
    }
}
