package dev.ensemble.core.internal.cell;

import dev.ensemble.core.monitor.MessageTrace;

/**
 * A message of a system with a monitor, carrying the time it was enqueued for the monitor's
 * trace. Only monitored systems pay for the timestamp: without a monitor, the field in every
 * message cost 8 bytes per message sent and per idle actor (whose last message stays in the
 * mailbox as its stub).
 *
 * <p>Threading: as the message it wraps; the time is written before the message is enqueued.
 */
final class TimedMessage extends Message {
    private final Message message;
    private final long enqueuedNanos;

    TimedMessage(Message message, long enqueuedNanos) {
        this.message = message;
        this.enqueuedNanos = enqueuedNanos;
    }

    @Override
    long enqueuedNanos() {
        return enqueuedNanos;
    }

    @Override
    Object[] argsForTrace() {
        return message.argsForTrace();
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        message.run(cell);
    }

    @Override
    void drop(Throwable reason) {
        message.drop(reason);
    }

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        message.failed(cell, cause);
    }

    @Override
    void succeeded() {
        message.succeeded();
    }

    @Override
    public boolean exemptFromCapacity() {
        return message.exemptFromCapacity();
    }

    @Override
    boolean failsInstance() {
        return message.failsInstance();
    }

    @Override
    MessageTrace.Kind kind() {
        return message.kind();
    }

    @Override
    String name() {
        return message.name();
    }

    @Override
    void clear() {
        message.clear();
    }
}
