package dev.ensemble.core.internal.mailbox;

/**
 * INTERNAL API: what a {@link Mailbox} holds. Every message is its own queue node
 * ({@link #next}), so that an enqueue allocates nothing beyond the message itself.
 *
 * <p>Threading: {@link #next} is written by the producer that links the node and read by the
 * mailbox's single consumer.
 */
public abstract class MailboxNode {
    /** The node behind this one; null at the tail. */
    volatile MailboxNode next;

    /**
     * True for the framework's own messages (lifecycle steps, timers, piped results, reactions):
     * they bypass a bounded mailbox's capacity and are never dropped to make room, because
     * losing them would break the actor rather than apply back-pressure to a sender.
     *
     * @return whether this node is exempt from a bounded mailbox's capacity
     */
    public boolean exemptFromCapacity() {
        return false;
    }
}
