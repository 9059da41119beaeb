package dev.ensemble.core.internal.mailbox;

import dev.ensemble.core.mailbox.OverflowPolicy;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A mailbox with a capacity. It takes a lock per offer and poll: bounded mailboxes exist for
 * back-pressure, where an exact bound matters more than the last nanosecond, and dropping the
 * oldest message from a producer's thread needs the consumer's end too.
 */
final class BoundedMailbox<M extends MailboxNode> implements Mailbox<M> {
    private final int capacity;
    private final OverflowPolicy overflow;
    /** Guarded by {@code this}. */
    private final ArrayDeque<M> queue = new ArrayDeque<>();
    /** Guarded by {@code this}: messages that count against the capacity (not exempt ones). */
    private int counted;

    private volatile int size;

    BoundedMailbox(int capacity, OverflowPolicy overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
    }

    @Override
    public synchronized M offer(M message) {
        M dropped = null;
        boolean exempt = message.exemptFromCapacity();
        if (!exempt && counted >= capacity) {
            if (overflow == OverflowPolicy.FAIL_SENDER) {
                return message;
            }
            dropped = oldestDroppable();
            if (dropped == null) {
                return message;
            }
        }
        queue.addLast(message);
        if (!exempt) {
            counted++;
        }
        size = queue.size();
        return dropped;
    }

    /** Removes and returns the oldest message that may be dropped, skipping exempt ones. */
    private M oldestDroppable() {
        for (Iterator<M> it = queue.iterator(); it.hasNext(); ) {
            M candidate = it.next();
            if (!candidate.exemptFromCapacity()) {
                it.remove();
                counted--;
                return candidate;
            }
        }
        return null;
    }

    @Override
    public synchronized M poll() {
        M message = queue.pollFirst();
        if (message != null && !message.exemptFromCapacity()) {
            counted--;
        }
        size = queue.size();
        return message;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean hasNext() {
        return size != 0;
    }

    @Override
    public int size() {
        return size;
    }
}
