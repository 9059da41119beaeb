package dev.ensemble.core.mailbox;

/** What a full bounded mailbox does with one more message. */
public enum OverflowPolicy {
    /**
     * Refuses the new message: a tell throws {@link dev.ensemble.core.MailboxOverflowException}
     * to the sender, an ask's future fails with it. Back-pressure reaches the sender at once.
     */
    FAIL_SENDER,
    /**
     * Accepts the new message and drops the oldest waiting one; if the dropped message was an
     * ask, its future fails with {@link dev.ensemble.core.MailboxOverflowException}. For streams
     * where only recent messages matter (positions, cursors).
     */
    DROP_OLDEST
}
