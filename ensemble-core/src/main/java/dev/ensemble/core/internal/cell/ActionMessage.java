package dev.ensemble.core.internal.cell;

import dev.ensemble.core.internal.invoke.ActionTable;
import dev.ensemble.core.monitor.MessageTrace;

/** A tell: an action call whose outcome nobody waits for. */
class ActionMessage extends Message {
    private final ActionTable.Action action;
    private Object[] args;

    ActionMessage(ActionTable.Action action, Object[] args) {
        this.action = action;
        this.args = args;
    }

    /** Invokes the action on the current instance; what it throws propagates as thrown. */
    final Object invoke(ActorCell<?> cell) throws Throwable {
        return action.invoker().invoke(cell.instance, args);
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        invoke(cell);
    }

    @Override
    Object[] argsForTrace() {
        return args;
    }

    @Override
    void drop(Throwable reason) {}

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        cell.failedAlone("tell " + action.name() + "()", action.name(), cause);
    }

    @Override
    MessageTrace.Kind kind() {
        return MessageTrace.Kind.TELL;
    }

    @Override
    final String name() {
        return action.name();
    }

    @Override
    void clear() {
        args = null;
    }
}
