package dev.ensemble.core.internal.cell;

/**
 * How work from elsewhere re-enters an actor instance: a task enqueued for one instance runs in a
 * later turn of that instance, or not at all if the instance has ended (stopped, or replaced by
 * a restart) by then. Timers and reactions use it; the cell implements it.
 */
interface InstanceTasks {
    /**
     * Enqueues {@code task} to run in a turn of the instance numbered {@code generation}; drops it
     * quietly if the actor has stopped or its mailbox refused it. Any thread.
     *
     * @param taskName what the task is, for logs and monitors ("timer", "reaction to ...")
     */
    void enqueueTask(String taskName, int generation, Runnable task);

    /** @return true on the thread that is running the actor's current turn */
    boolean inTurn();
}
