package dev.ensemble.core;

import dev.ensemble.core.mailbox.OverflowPolicy;
import java.util.ArrayDeque;

/**
 * A mailbox with a capacity. It takes a lock per offer and poll: bounded mailboxes exist for
 * back-pressure, where an exact bound matters more than the last nanosecond, and dropping the
 * oldest message from a producer's thread needs the consumer's end too.
 */
final class BoundedMailbox implements Mailbox {
    private final int capacity;
    private final OverflowPolicy overflow;
    /** Guarded by {@code this}. */
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private volatile int size;

    BoundedMailbox(int capacity, OverflowPolicy overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
    }

    @Override
    public synchronized Message offer(Message message) {
        Message dropped = null;
        if (queue.size() >= capacity) {
            if (overflow == OverflowPolicy.FAIL_SENDER) {
                return message;
            }
            dropped = queue.pollFirst();
        }
        queue.addLast(message);
        size = queue.size();
        return dropped;
    }

    @Override
    public synchronized Message poll() {
        Message message = queue.pollFirst();
        size = queue.size();
        return message;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }
}
