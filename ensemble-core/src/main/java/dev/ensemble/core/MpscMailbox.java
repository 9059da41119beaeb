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
 */
final class MpscMailbox implements Mailbox {
    private static final VarHandle TAIL;
    private static final VarHandle SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpscMailbox.class, "tail", Message.class);
            SIZE = lookup.findVarHandle(MpscMailbox.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Consumer-owned: the last message taken (or the initial stub). */
    private Message head;
    /** Producers swap it atomically. */
    @SuppressWarnings("unused")
    private volatile Message tail;
    /** Incremented by producers, decremented by the consumer. */
    @SuppressWarnings("unused")
    private volatile int size;

    MpscMailbox() {
        Message stub = new Stub();
        head = stub;
        tail = stub;
    }

    @Override
    public Message offer(Message message) {
        SIZE.getAndAdd(this, 1);
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
        SIZE.getAndAdd(this, -1);
        return next;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean hasNext() {
        return head.next != null;
    }

    @Override
    public int size() {
        return Math.max(0, size);
    }

    /** The initial node; never runs. */
    private static final class Stub extends Message {
        @Override
        void run(ActorCell<?> cell) {
            throw new AssertionError("stub message ran");
        }

        @Override
        void drop(Throwable reason) {
        }

        @Override
        void failed(ActorCell<?> cell, Throwable cause) {
        }

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
