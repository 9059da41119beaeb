package dev.ensemble.core.internal.mailbox;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded multi-producer single-consumer linked queue (after Vyukov's intrusive MPSC
 * queue): producers swap themselves in as the tail with one atomic exchange and then link the
 * previous tail to themselves; the single consumer follows {@code next} links from a stub.
 *
 * <p>Between a producer's exchange and its link, the consumer may see the queue as empty; that
 * producer then schedules the actor itself, so no message is stranded.
 *
 * <p>It keeps no count: {@link #size()} walks the queue. A counter cost two atomic updates per
 * message (one by the producer, one by the consumer), a measurable share of a ping-pong message;
 * the count is needed per message only by a monitor, whose systems use
 * {@link CountingMpscMailbox}.
 */
class MpscMailbox<M extends MailboxNode> implements Mailbox<M> {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscMailbox.class, "tail", MailboxNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer-owned: the last message taken (or the initial stub). */
    private MailboxNode head;
    /** Producers swap it atomically. */
    @SuppressWarnings("unused")
    private volatile MailboxNode tail;

    MpscMailbox() {
        MailboxNode stub = new Stub();
        head = stub;
        tail = stub;
    }

    @Override
    public M offer(M message) {
        MailboxNode previous = (MailboxNode) TAIL.getAndSet(this, message);
        previous.next = message;
        return null;
    }

    @Override
    @SuppressWarnings("unchecked") // every node but the initial stub, which is never returned, is an M
    public M poll() {
        MailboxNode next = head.next;
        if (next == null) {
            return null;
        }
        // The previous head already ran (its turn cleared it); unlinking it lets it be collected
        // even if something still refers to it. Not cleared here: a turn that polls (a stop
        // dropping what waits) is still running the message that is the head.
        head.next = null;
        head = next;
        return (M) next;
    }

    /** An offer in progress has swapped the tail already, so it counts as waiting. */
    @Override
    public boolean isEmpty() {
        return tail == head;
    }

    @Override
    public boolean hasNext() {
        return head.next != null;
    }

    /**
     * Counts the linked messages: O(n). From a thread other than the consumer's, the walk may
     * start from a message already taken or stop at one being taken, so it is approximate.
     */
    @Override
    public int size() {
        int count = 0;
        for (MailboxNode m = head.next; m != null && count < Integer.MAX_VALUE; m = m.next) {
            count++;
        }
        return count;
    }

    /** The initial node; never returned by {@link #poll()}. */
    private static final class Stub extends MailboxNode {}
}
