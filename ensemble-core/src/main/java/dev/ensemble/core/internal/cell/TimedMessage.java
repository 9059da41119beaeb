package dev.ensemble.core.internal.cell;

/**
 * A message of a system with a monitor, carrying the time it was enqueued for the monitor's
 * trace. Only monitored systems pay for the timestamp: without a monitor, the field in every
 * message cost 8 bytes per message sent and per idle actor (whose last message stays in the
 * mailbox as its stub).
 *
 * <p>Threading: as the message it wraps; the time is written before the message is enqueued.
 */
final class TimedMessage extends WrappedMessage {
    private final long enqueuedNanos;

    TimedMessage(Message message, long enqueuedNanos) {
        super(message);
        this.enqueuedNanos = enqueuedNanos;
    }

    @Override
    long enqueuedNanos() {
        return enqueuedNanos;
    }
}
