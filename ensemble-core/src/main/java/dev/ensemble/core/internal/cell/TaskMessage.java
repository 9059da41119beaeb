package dev.ensemble.core.internal.cell;

import dev.ensemble.core.monitor.MessageTrace;

/**
 * Work re-entering the actor: a timer, a piped result, a reaction, a lifecycle step. Bound to
 * one instance ({@code generation}): if a restart replaced that instance, the task is skipped,
 * because it closes over the old one.
 */
final class TaskMessage extends Message {
    private final String name;
    private final int generation;
    private Runnable task;

    TaskMessage(String name, int generation, Runnable task) {
        this.name = name;
        this.generation = generation;
        this.task = task;
    }

    @Override
    void run(ActorCell<?> cell) {
        if (generation == cell.generation) {
            task.run();
        }
    }

    @Override
    void drop(Throwable reason) {}

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        cell.failedAlone(name, name, cause);
    }

    @Override
    public boolean exemptFromCapacity() {
        return true;
    }

    @Override
    MessageTrace.Kind kind() {
        return MessageTrace.Kind.TASK;
    }

    @Override
    String name() {
        return name;
    }

    @Override
    void clear() {
        task = null;
    }
}
