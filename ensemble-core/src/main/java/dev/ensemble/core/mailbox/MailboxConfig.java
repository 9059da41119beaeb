package dev.ensemble.core.mailbox;

import java.util.Objects;

/**
 * An actor's mailbox: unbounded (the default) or bounded with an {@link OverflowPolicy}.
 *
 * <pre>{@code
 * MailboxConfig.bounded(1_000, OverflowPolicy.FAIL_SENDER)
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 *
 * @param capacity the most messages that may wait, or {@link #UNBOUNDED}
 * @param overflow what happens when a bounded mailbox is full; ignored when unbounded
 */
public record MailboxConfig(int capacity, OverflowPolicy overflow) {
    /** The capacity of an unbounded mailbox. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private static final MailboxConfig UNBOUNDED_CONFIG = new MailboxConfig(UNBOUNDED, OverflowPolicy.FAIL_SENDER);

    /**
     * @param capacity at least 1
     * @param overflow the policy
     */
    public MailboxConfig {
        Objects.requireNonNull(overflow, "overflow");
        if (capacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be >= 1, but was " + capacity);
        }
    }

    /** @return an unbounded mailbox */
    public static MailboxConfig unbounded() {
        return UNBOUNDED_CONFIG;
    }

    /**
     * @param capacity the most messages that may wait, at least 1
     * @param overflow what to do when full
     * @return a bounded mailbox
     */
    public static MailboxConfig bounded(int capacity, OverflowPolicy overflow) {
        return new MailboxConfig(capacity, overflow);
    }

    /** @return true if the capacity is bounded */
    public boolean isBounded() {
        return capacity != UNBOUNDED;
    }
}
