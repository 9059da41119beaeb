package dev.ensemble.core.internal.tree;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.cell.ActorCell;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * INTERNAL API: the one client of a pool: each call through its proxy goes to one replica, picked
 * by the pool's routing, through that replica's own client (so tells, asks, timeouts and
 * refusals behave as for any actor). Its events are the pool's ({@code pool-resized}); a pool has
 * no single state to listen to, and its replicas come and go, so state listeners and watches
 * are refused with a message saying so; {@link #state()} is the first replica's.
 *
 * <p>Threading: thread-safe; an immutable view like every client.
 */
final class PoolClient<A, S> implements ActorClient<A, S>, InvocationHandler {
    private final PoolNode pool;
    private final ActorToken<A, S> token;
    /** Null: each replica's default. */
    private final Duration askTimeout;
    /** Null: each replica's default. */
    private final Executor callbackExecutor;

    private final A proxy;

    PoolClient(PoolNode pool, ActorToken<A, S> token, Duration askTimeout, Executor callbackExecutor) {
        this.pool = pool;
        this.token = token;
        this.askTimeout = askTimeout;
        this.callbackExecutor = callbackExecutor;
        this.proxy = token.actions()
                .cast(Proxy.newProxyInstance(token.actions().getClassLoader(), new Class<?>[] {token.actions()}, this));
    }

    @Override
    public String name() {
        return pool.path();
    }

    @Override
    public ActorToken<A, S> token() {
        return token;
    }

    @Override
    public A actions() {
        return proxy;
    }

    @Override
    @SuppressWarnings("unchecked")
    public S state() {
        ActorCell<?> first = pool.firstReplica();
        return first == null ? null : (S) first.client().state();
    }

    @Override
    public ActorStatus status() {
        ActorCell<?> first = pool.firstReplica();
        return first == null ? ActorStatus.STOPPED : first.status();
    }

    @Override
    public Subscription onState(Consumer<? super S> listener) {
        throw new UnsupportedOperationException("pool " + name() + " has no single state: its replicas each have"
                + " their own; publish what listeners need as events, or keep it in an actor of its own");
    }

    @Override
    public Subscription onEvent(Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return pool.onEvent(listener);
    }

    @Override
    public Subscription onEvent(String eventName, Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(eventName, "name");
        Objects.requireNonNull(listener, "listener");
        return pool.onEvent(event -> {
            if (event.name().equals(eventName)) {
                listener.accept(event);
            }
        });
    }

    @Override
    public Subscription onDown(Consumer<? super Down> listener) {
        throw new UnsupportedOperationException("pool " + name() + " cannot be watched as one actor: its replicas"
                + " come and go as it resizes; watch its supervisor's other children or the system instead");
    }

    @Override
    public ActorClient<A, S> withAskTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, but was " + timeout);
        }
        return new PoolClient<>(pool, token, timeout, callbackExecutor);
    }

    @Override
    public ActorClient<A, S> withCallbackExecutor(Executor executor) {
        return new PoolClient<>(pool, token, askTimeout, Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> "actions of pool " + name();
            };
        }
        try {
            return pool.route(args == null || args.length == 0 ? null : args[0], cell -> {
                try {
                    return method.invoke(replicaClient(cell).actions(), args);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    throw new Rethrown(e.getCause());
                }
            });
        } catch (Rethrown thrown) {
            throw thrown.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private ActorClient<A, S> replicaClient(ActorCell<?> cell) {
        ActorClient<A, S> client = (ActorClient<A, S>) cell.client();
        if (askTimeout != null) {
            client = client.withAskTimeout(askTimeout);
        }
        if (callbackExecutor != null) {
            client = client.withCallbackExecutor(callbackExecutor);
        }
        return client;
    }

    @Override
    public String toString() {
        return "ActorClient[pool " + name() + ", " + pool.size() + " replicas]";
    }

    /** Carries what a replica's proxy threw through the routing lambda, unchanged. */
    private static final class Rethrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rethrown(Throwable cause) {
            super(cause);
        }
    }
}
