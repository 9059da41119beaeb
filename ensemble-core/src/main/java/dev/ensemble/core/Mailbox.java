package dev.ensemble.core;

/**
 * The queue of an actor's waiting messages. Many threads offer; only the actor's current turn
 * polls (multi-producer, single-consumer).
 */
interface Mailbox {
    /**
     * Adds a message at the tail. Any thread.
     *
     * @return null when accepted; {@code message} itself when refused because the mailbox is
     *     full; or the oldest waiting message, which was removed to make room and must be failed
     *     by the caller
     */
    Message offer(Message message);

    /** Removes the head, or returns null if empty. The consumer only. */
    Message poll();

    /** True if nothing is waiting. Any thread; an offer in progress counts as waiting. */
    boolean isEmpty();

    /**
     * True if {@link #poll()} would return a message now. The consumer only. An offer still in
     * progress is not seen; its producer schedules the actor itself once it completes.
     */
    boolean hasNext();

    /** How many messages wait. Any thread; approximate under concurrency. */
    int size();
}
