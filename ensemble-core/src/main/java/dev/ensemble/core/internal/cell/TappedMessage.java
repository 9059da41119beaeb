package dev.ensemble.core.internal.cell;

import dev.ensemble.core.monitor.MessageTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: a message stamped at enqueue because a {@link CellTap} records its receiver: the
 * time it entered the mailbox, the sender (the cell whose turn sent it, from
 * {@link TurnSenders}) and its arguments, handed to the tap once the message ran or was dropped.
 * Made only while a tap records, so untraced messages carry nothing.
 *
 * <p>Threading: as the message it wraps; the stamp is written before the message is enqueued.
 */
public final class TappedMessage extends WrappedMessage {
    private static final Logger LOG = LoggerFactory.getLogger(TappedMessage.class);

    /**
     * One recorded message.
     *
     * @param sender the path of the actor whose turn sent it, or null from outside any turn
     * @param kind tell, ask or task
     * @param action the action's name or the task's description
     * @param args the call's arguments (null for a task); summarise, do not keep
     * @param enqueuedNanos {@link System#nanoTime()} when it entered the mailbox
     * @param startedNanos when its turn started (equal to {@code finishedNanos} if dropped)
     * @param finishedNanos when its turn ended
     * @param outcome how it ended
     */
    public record Record(
            String sender,
            MessageTrace.Kind kind,
            String action,
            Object[] args,
            long enqueuedNanos,
            long startedNanos,
            long finishedNanos,
            MessageTrace.Outcome outcome) {}

    private final long enqueuedNanos;
    private final String sender;
    private final CellTap tap;
    private Object[] args;

    TappedMessage(Message message, CellTap tap) {
        super(message);
        this.tap = tap;
        this.enqueuedNanos = System.nanoTime();
        ActorCell<?> current = TurnSenders.current();
        this.sender = current == null ? null : pathOf(current);
        this.args = message.argsForTrace();
    }

    static String pathOf(ActorCell<?> cell) {
        String name = cell.name();
        return name.startsWith("/") ? name : "/" + name;
    }

    /** Hands the record to the tap; never throws. */
    void record(ActorCell<?> receiver, long started, long finished, MessageTrace.Outcome outcome) {
        Object[] a = args;
        args = null;
        try {
            tap.recorded(
                    receiver,
                    new Record(sender, message.kind(), message.name(), a, enqueuedNanos, started, finished, outcome));
        } catch (Throwable e) {
            LOG.warn("inspection tap threw on a message of \"{}\"; ignored", receiver.name(), e);
        }
    }

    @Override
    long enqueuedNanos() {
        long inner = message.enqueuedNanos();
        return inner != 0 ? inner : enqueuedNanos;
    }
}
