package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.internal.mailbox.Mailbox;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.monitor.MessageTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cell's calls into its system's {@link ActorMonitor}, each isolated: a monitor that throws
 * is logged and otherwise ignored, as {@code ActorMonitor}'s callback rules promise. Called on
 * the actor's thread.
 */
final class MonitorCalls {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorCalls.class);

    private MonitorCalls() {}

    /** A message ran, or was dropped ({@code started == finished}). */
    static void message(
            ActorMonitor monitor,
            String actor,
            Message message,
            long started,
            long finished,
            int depth,
            MessageTrace.Outcome outcome,
            Throwable failure) {
        try {
            monitor.onMessage(new MessageTrace(
                    actor,
                    message.kind(),
                    message.name(),
                    message.enqueuedNanos(),
                    started,
                    finished,
                    depth,
                    outcome,
                    failure));
        } catch (Throwable e) {
            LOG.warn("actor monitor threw on a message of \"{}\"; ignored", actor, e);
        }
    }

    /** A message will never run: logged, and traced if a monitor is installed. */
    static void dropped(ActorMonitor monitor, String actor, Message message, Mailbox<?> mailbox, String why) {
        LOG.debug("actor \"{}\": message {} {}", actor, message.name(), why);
        if (monitor != ActorMonitor.NONE) {
            long now = System.nanoTime();
            message(monitor, actor, message, now, now, mailbox.size(), MessageTrace.Outcome.DROPPED, null);
        }
    }

    static void statusChanged(ActorMonitor monitor, String actor, ActorStatus status, Throwable cause) {
        try {
            monitor.onStatusChanged(actor, status, cause);
        } catch (Throwable e) {
            LOG.warn("actor monitor threw on a status change of \"{}\"; ignored", actor, e);
        }
    }
}
