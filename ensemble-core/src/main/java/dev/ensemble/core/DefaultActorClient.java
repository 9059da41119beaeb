package dev.ensemble.core;

import dev.ensemble.core.internal.invoke.ActionTable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** The client of one actor: an immutable view with its ask timeout and callback executor. */
final class DefaultActorClient<A, S> implements ActorClient<A, S>, InvocationHandler {
    private final ActorCell<S> cell;
    private final ActorToken<A, S> token;
    private final Duration askTimeout;
    /** Null: listeners run on the system's pool, asks complete on the actor's thread. */
    private final Executor callbackExecutor;
    /** Made on first use: most spawned actors' clients are never used to send. */
    private volatile A proxy;
    /**
     * The last action called through this view. Proxies pass the same {@code Method} instance
     * for every call of a method, so a repeated call skips the table's {@code Method.equals}
     * lookup (measured at about 8 % of a ping-pong message). Racy by design: a stale entry is a
     * miss, never a wrong answer, because the entry holds both halves.
     */
    private volatile LastAction lastAction;

    DefaultActorClient(ActorCell<S> cell, ActorToken<A, S> token, Duration askTimeout, Executor callbackExecutor) {
        this.cell = cell;
        this.token = token;
        this.askTimeout = askTimeout;
        this.callbackExecutor = callbackExecutor;
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
        A p = proxy;
        if (p == null) {
            p = token.actions()
                    .cast(Proxy.newProxyInstance(
                            token.actions().getClassLoader(), new Class<?>[] {token.actions()}, this));
            proxy = p;
        }
        return p;
    }

    @Override
    public S state() {
        return cell.committedState();
    }

    @Override
    public ActorStatus status() {
        return cell.status();
    }

    @Override
    public Subscription onState(Consumer<? super S> listener) {
        Objects.requireNonNull(listener, "listener");
        return cell.listeners().addState(new ExecutorListener<S>(name(), executor(), value -> true, listener));
    }

    @Override
    public Subscription onEvent(Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return cell.listeners().addEvent(new ExecutorListener<ActorEvent>(name(), executor(), event -> true, listener));
    }

    @Override
    public Subscription onEvent(String eventName, Consumer<? super ActorEvent> listener) {
        Objects.requireNonNull(eventName, "name");
        Objects.requireNonNull(listener, "listener");
        return cell.listeners()
                .addEvent(new ExecutorListener<ActorEvent>(
                        name(), executor(), event -> event.name().equals(eventName), listener));
    }

    @Override
    public Subscription onDown(Consumer<? super Down> listener) {
        Objects.requireNonNull(listener, "listener");
        return cell.listeners().addDown(new ExecutorListener<Down>(name(), executor(), signal -> true, listener));
    }

    @Override
    public ActorClient<A, S> withAskTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, but was " + timeout);
        }
        return new DefaultActorClient<>(cell, token, timeout, callbackExecutor);
    }

    @Override
    public ActorClient<A, S> withCallbackExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return new DefaultActorClient<>(cell, token, askTimeout, executor);
    }

    private Executor executor() {
        return callbackExecutor != null ? callbackExecutor : cell.system().callbackExecutor();
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> "actions of actor \"" + name() + "\"";
            };
        }
        LastAction last = lastAction;
        ActionTable.Action action;
        if (last != null && last.method == method) {
            action = last.action;
        } else {
            action = cell.actions().lookup(method);
            if (action == null) {
                throw new IllegalArgumentException(
                        ActionTable.describe(method) + " is not an action of actor \"" + name() + "\"");
            }
            lastAction = new LastAction(method, action);
        }
        if (action.ask()) {
            return cell.ask(action, args, askTimeout, callbackExecutor);
        }
        cell.tell(action, args);
        return null;
    }

    @Override
    public String toString() {
        return "ActorClient[" + name() + ", " + cell.status() + "]";
    }

    /** The proxy's {@code Method} and the action it stands for. */
    private record LastAction(Method method, ActionTable.Action action) {}
}
