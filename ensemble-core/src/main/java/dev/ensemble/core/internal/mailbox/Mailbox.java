package dev.ensemble.core.internal.mailbox;

import dev.ensemble.core.mailbox.MailboxConfig;

/**
 * INTERNAL API: the queue of an actor's waiting messages. Many threads offer; only the actor's
 * current turn polls (multi-producer, single-consumer).
 *
 * @param <M> the messages it holds
 */
public interface Mailbox<M extends MailboxNode> {
    /**
     * Makes the mailbox an actor's configuration asks for.
     *
     * @param config unbounded, or bounded with an overflow policy
     * @param counted whether {@link #size()} must be O(1) (a monitor reports the depth with every
     *     message); an unbounded mailbox then pays an atomic update per offer and per poll
     * @param <M> the messages it holds
     * @return a new, empty mailbox
     */
    static <M extends MailboxNode> Mailbox<M> of(MailboxConfig config, boolean counted) {
        if (config.isBounded()) {
            return new BoundedMailbox<>(config.capacity(), config.overflow());
        }
        return counted ? new CountingMpscMailbox<>() : new MpscMailbox<>();
    }

    /**
     * Adds a message at the tail. Any thread.
     *
     * @return null when accepted; {@code message} itself when refused because the mailbox is
     *     full; or the oldest waiting message, which was removed to make room and must be failed
     *     by the caller
     */
    M offer(M message);

    /** Removes the head, or returns null if empty. The consumer only. */
    M poll();

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
