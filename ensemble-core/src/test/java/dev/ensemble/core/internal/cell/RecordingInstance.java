package dev.ensemble.core.internal.cell;

import java.util.ArrayList;
import java.util.List;

/** An actor instance reduced to its mailbox: records what is enqueued; the test runs it as a turn would. */
final class RecordingInstance implements InstanceTasks {
    /** A task as the actor's mailbox would hold it. */
    record Enqueued(String name, int generation, Runnable task) {}

    final List<Enqueued> mailbox = new ArrayList<>();
    /** What {@link #inTurn()} answers: whether the test's thread plays the actor's turn. */
    boolean inTurn = true;

    @Override
    public void enqueueTask(String taskName, int generation, Runnable task) {
        mailbox.add(new Enqueued(taskName, generation, task));
    }

    @Override
    public boolean inTurn() {
        return inTurn;
    }

    void runTurn(int index) {
        mailbox.get(index).task().run();
    }
}
