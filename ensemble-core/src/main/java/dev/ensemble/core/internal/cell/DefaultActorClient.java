package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.MailboxOverflowException;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.invoke.ActionTable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The client of one actor: an immutable view with its ask timeout and callback executor. It turns
 * each call through its proxy into a message for the actor's cell: a tell, or an ask whose
 * future the actor's answer completes.
 */
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
        return cell.name();
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
        return callbackExecutor != null ? callbackExecutor : cell.services.callbackExecutor();
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
            return deliverOn(ask(action, args), callbackExecutor);
        }
        tell(action, args);
        return null;
    }

    private void tell(ActionTable.Action action, Object[] args) {
        if (cell.status() == ActorStatus.STOPPED) {
            throw stopped(action, "tell");
        }
        Message refused = cell.enqueue(new ActionMessage(action, args));
        if (refused != null) {
            throw refusal(refused, action, "tell");
        }
    }

    private CompletableFuture<Object> ask(ActionTable.Action action, Object[] args) {
        AskReply reply = new AskReply(cell, action, askTimeout, System.nanoTime() + askTimeout.toNanos());
        if (cell.status() == ActorStatus.STOPPED) {
            reply.completeExceptionally(stopped(action, "ask"));
            return reply;
        }
        cell.services.askTimeouts().register(reply);
        Message refused = cell.enqueue(new AskMessage(action, args, reply));
        if (refused != null) {
            reply.completeExceptionally(refusal(refused, action, "ask"));
        }
        return reply;
    }

    private ActorStoppedException stopped(ActionTable.Action action, String kind) {
        return new ActorStoppedException(
                name(), "actor \"" + name() + "\" is stopped: " + kind + " " + action.name() + "() refused");
    }

    private RuntimeException refusal(Message refused, ActionTable.Action action, String kind) {
        if (refused == ActorCell.STOPPED) {
            return stopped(action, kind);
        }
        return new MailboxOverflowException(
                name(),
                "mailbox of actor \"" + name() + "\" is full (" + cell.mailboxSize() + " messages waiting): " + kind
                        + " " + action.name() + "() refused");
    }

    /** Completes the caller's future on the view's callback executor, if it has one. */
    private static CompletableFuture<Object> deliverOn(CompletableFuture<Object> reply, Executor executor) {
        if (executor == null) {
            return reply;
        }
        CompletableFuture<Object> delivered = new CompletableFuture<>();
        reply.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (error != null) {
                    delivered.completeExceptionally(error);
                } else {
                    delivered.complete(value);
                }
            };
            try {
                executor.execute(complete);
            } catch (RuntimeException rejected) {
                complete.run();
            }
        });
        return delivered;
    }

    @Override
    public String toString() {
        return "ActorClient[" + name() + ", " + cell.status() + "]";
    }

    /** The proxy's {@code Method} and the action it stands for. */
    private record LastAction(Method method, ActionTable.Action action) {}
}
