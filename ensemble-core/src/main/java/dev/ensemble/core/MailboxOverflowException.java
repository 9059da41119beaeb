package dev.ensemble.core;

/**
 * A bounded mailbox refused a message (policy {@code FAIL_SENDER}) or dropped it to make room
 * for a newer one (policy {@code DROP_OLDEST}).
 */
public final class MailboxOverflowException extends IllegalStateException {
    private final String actor;

    /**
     * @param actor the actor whose mailbox overflowed
     * @param message what happened to which message
     */
    public MailboxOverflowException(String actor, String message) {
        super(message);
        this.actor = actor;
    }

    /** @return the actor whose mailbox overflowed */
    public String actor() {
        return actor;
    }
}
