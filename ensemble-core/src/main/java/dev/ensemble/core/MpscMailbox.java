package dev.ensemble.core;

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
class MpscMailbox implements Mailbox {
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscMailbox.class, "tail", Message.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer-owned: the last message taken (or the initial stub). */
    private Message head;
    /** Producers swap it atomically. */
    @SuppressWarnings("unused")
    private volatile Message tail;

    MpscMailbox() {
        Message stub = new Stub();
        head = stub;
        tail = stub;
    }

    @Override
    public Message offer(Message message) {
        Message previous = (Message) TAIL.getAndSet(this, message);
        previous.next = message;
        return null;
    }

    @Override
    public Message poll() {
        Message next = head.next;
        if (next == null) {
            return null;
        }
        // The previous head already ran (its turn cleared it); unlinking it lets it be collected
        // even if something still refers to it. Not cleared here: a turn that polls (a stop
        // dropping what waits) is still running the message that is the head.
        head.next = null;
        head = next;
        return next;
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
        for (Message m = head.next; m != null && count < Integer.MAX_VALUE; m = m.next) {
            count++;
        }
        return count;
    }

    /** The initial node; never runs. */
    private static final class Stub extends Message {
        @Override
        void run(ActorCell<?> cell) {
            throw new AssertionError("stub message ran");
        }

        @Override
        void drop(Throwable reason) {}

        @Override
        void failed(ActorCell<?> cell, Throwable cause) {}

        @Override
        dev.ensemble.core.monitor.MessageTrace.Kind kind() {
            return dev.ensemble.core.monitor.MessageTrace.Kind.TASK;
        }

        @Override
        String name() {
            return "stub";
        }
    }
}
