package dev.ensemble.core.internal.cell;

import dev.ensemble.core.internal.mailbox.MailboxNode;

/** A unit of work for an actor, as its mailbox holds it and its turn runs it. */
abstract class Message extends MailboxNode {
    /**
     * @return {@link System#nanoTime()} at enqueue if a monitor is installed (see
     *     {@link TimedMessage}), else 0
     */
    long enqueuedNanos() {
        return 0;
    }

    /** Runs inside the actor's turn; may throw. */
    abstract void run(ActorCell<?> cell) throws Throwable;

    /** The message will never run: tell its sender, if it has one waiting. */
    abstract void drop(Throwable reason);

    /** Called when {@link #run} threw an exception: the message failed alone. */
    abstract void failed(ActorCell<?> cell, Throwable cause);

    /** Called after {@link #run} returned normally and the turn committed. */
    void succeeded() {}

    /** True if anything this message throws is a failure of the actor, not of the message. */
    boolean failsInstance() {
        return false;
    }

    /** @return the call's arguments for an inspector's trace, or null (a task has none) */
    Object[] argsForTrace() {
        return null;
    }

    abstract dev.ensemble.core.monitor.MessageTrace.Kind kind();

    abstract String name();

    /** Releases what the message refers to once it ran; the node may stay in the queue as its stub. */
    void clear() {}
}
