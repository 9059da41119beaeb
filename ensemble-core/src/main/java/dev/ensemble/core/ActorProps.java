package dev.ensemble.core;

import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.util.Objects;

/**
 * How an actor runs: its dispatcher, its mailbox and its supervision. A configuration file given
 * to {@link ActorSystem.Builder#config} overrides these per actor.
 *
 * <pre>{@code
 * ActorProps.defaults()
 *     .withDispatcher(DispatcherSelector.dedicated())
 *     .withMailbox(MailboxConfig.bounded(100, OverflowPolicy.DROP_OLDEST))
 * }</pre>
 *
 * <p>Thread-safe: immutable; {@code with} methods return copies.
 *
 * @param dispatcher which threads run its turns
 * @param mailbox its capacity and overflow policy
 * @param supervision what happens when it fails
 */
public record ActorProps(DispatcherSelector dispatcher, MailboxConfig mailbox, SupervisorStrategy supervision) {
    private static final ActorProps DEFAULTS =
            new ActorProps(DispatcherSelector.shared(), MailboxConfig.unbounded(), SupervisorStrategy.restart());

    /**
     * @param dispatcher not null
     * @param mailbox not null
     * @param supervision not null
     */
    public ActorProps {
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(supervision, "supervision");
    }

    /** @return the shared pool, an unbounded mailbox, restart at most once in 5 s */
    public static ActorProps defaults() {
        return DEFAULTS;
    }

    /**
     * @param dispatcher the dispatcher
     * @return a copy
     */
    public ActorProps withDispatcher(DispatcherSelector dispatcher) {
        return new ActorProps(dispatcher, mailbox, supervision);
    }

    /**
     * @param mailbox the mailbox
     * @return a copy
     */
    public ActorProps withMailbox(MailboxConfig mailbox) {
        return new ActorProps(dispatcher, mailbox, supervision);
    }

    /**
     * @param supervision the supervision strategy
     * @return a copy
     */
    public ActorProps withSupervision(SupervisorStrategy supervision) {
        return new ActorProps(dispatcher, mailbox, supervision);
    }
}
