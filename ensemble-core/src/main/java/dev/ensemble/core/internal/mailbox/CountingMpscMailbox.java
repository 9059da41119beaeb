package dev.ensemble.core.internal.mailbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An {@link MpscMailbox} that keeps a count, so that {@link #size()} is O(1): used when a
 * monitor is installed, since every message's trace reports the depth of the mailbox. The count
 * costs an atomic update by the producer and one by the consumer per message.
 *
 * <p>Threading: as {@link MpscMailbox}, many producers and one consumer; {@link #size()} from any
 * thread, approximate under concurrency.
 */
final class CountingMpscMailbox<M extends MailboxNode> extends MpscMailbox<M> {
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(CountingMpscMailbox.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Incremented by producers before they link, decremented by the consumer. */
    @SuppressWarnings("unused")
    private volatile int size;

    @Override
    public M offer(M message) {
        SIZE.getAndAdd(this, 1);
        return super.offer(message);
    }

    @Override
    public M poll() {
        M next = super.poll();
        if (next != null) {
            SIZE.getAndAdd(this, -1);
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return Math.max(0, size);
    }
}
