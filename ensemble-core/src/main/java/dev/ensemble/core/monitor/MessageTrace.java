package dev.ensemble.core.monitor;

/**
 * One message as an {@link ActorMonitor} sees it, after it ran (or was dropped).
 *
 * @param actor the actor's name
 * @param kind what sort of message it was
 * @param name the action's method name, or a description of the task ("timer", "reaction")
 * @param enqueuedNanos {@link System#nanoTime()} when it entered the mailbox
 * @param startedNanos when its turn started (equal to {@code finishedNanos} if it never ran)
 * @param finishedNanos when its turn finished
 * @param mailboxDepth how many messages were waiting when it started, itself included
 * @param outcome how it ended
 * @param failure what it threw, or null
 */
public record MessageTrace(
        String actor,
        Kind kind,
        String name,
        long enqueuedNanos,
        long startedNanos,
        long finishedNanos,
        int mailboxDepth,
        Outcome outcome,
        Throwable failure) {

    /** What sort of message. */
    public enum Kind {
        /** A tell: an action that returns nothing. */
        TELL,
        /** An ask: an action whose result goes back to the caller. */
        ASK,
        /** Work re-entering the actor: a timer, a piped result, a reaction, a lifecycle step. */
        TASK
    }

    /** How a message ended. */
    public enum Outcome {
        /** It ran and its turn committed. */
        SUCCEEDED,
        /** It threw an exception: it failed alone and the state was kept as before it. */
        FAILED,
        /** It made the actor fail: the supervisor restarts or stops it. */
        CRASHED,
        /** It never ran: the actor stopped or the mailbox dropped it. */
        DROPPED
    }

    /** @return nanoseconds it waited in the mailbox */
    public long queueNanos() {
        return startedNanos - enqueuedNanos;
    }

    /** @return nanoseconds its turn took */
    public long runNanos() {
        return finishedNanos - startedNanos;
    }
}
