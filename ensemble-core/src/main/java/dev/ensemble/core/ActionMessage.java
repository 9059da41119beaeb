package dev.ensemble.core;

import dev.ensemble.core.monitor.MessageTrace;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** A tell: an action call whose outcome nobody waits for. */
class ActionMessage extends Message {
    private final Method method;
    private Object[] args;

    ActionMessage(Method method, Object[] args) {
        this.method = method;
        this.args = args;
    }

    /** Invokes the action on the current instance; unwraps what it threw. */
    final Object invoke(ActorCell<?> cell) throws Throwable {
        try {
            return method.invoke(cell.instance(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        invoke(cell);
    }

    @Override
    void drop(Throwable reason) {
    }

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        cell.tellFailed(method.getName(), cause);
    }

    @Override
    MessageTrace.Kind kind() {
        return MessageTrace.Kind.TELL;
    }

    @Override
    final String name() {
        return method.getName();
    }

    @Override
    void clear() {
        args = null;
    }
}
