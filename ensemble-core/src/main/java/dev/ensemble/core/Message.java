package dev.ensemble.core;

/**
 * A unit of work in a mailbox. It is also the mailbox's queue node ({@link #next}), so that an
 * enqueue allocates nothing beyond the message itself.
 */
abstract class Message {
    /** Written by the enqueuing producer, read by the owning actor's consumer. */
    volatile Message next;

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

    /**
     * True for the framework's own messages (lifecycle steps, timers, piped results, reactions):
     * they bypass a bounded mailbox's capacity and are never dropped to make room, because
     * losing them would break the actor rather than apply back-pressure to a sender.
     */
    boolean exemptFromCapacity() {
        return false;
    }

    /** True if anything this message throws is a failure of the actor, not of the message. */
    boolean failsInstance() {
        return false;
    }

    abstract dev.ensemble.core.monitor.MessageTrace.Kind kind();

    abstract String name();

    /** Releases what the message refers to once it ran; the node may stay in the queue as its stub. */
    void clear() {}
}
