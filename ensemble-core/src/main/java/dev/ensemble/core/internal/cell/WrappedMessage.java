package dev.ensemble.core.internal.cell;

import dev.ensemble.core.monitor.MessageTrace;

/**
 * A message that carries another and adds what an observer needs, stamped at enqueue: the
 * monitor's time ({@link TimedMessage}), or an inspector's sender and arguments
 * ({@link TappedMessage}). Everything else is the wrapped message's.
 *
 * <p>Threading: as the message it wraps; the stamp is written before the message is enqueued.
 */
abstract class WrappedMessage extends Message {
    /** The message as sent; its behaviour is this one's. */
    final Message message;

    WrappedMessage(Message message) {
        this.message = message;
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
