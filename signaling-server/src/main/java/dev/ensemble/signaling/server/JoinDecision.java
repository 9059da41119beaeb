package dev.ensemble.signaling.server;

import java.util.Objects;

/**
 * The answer of a {@link JoinAuthorizer}. Immutable.
 *
 * <pre>{@code
 * return allowed ? JoinDecision.allow() : JoinDecision.deny("the room is closed for maintenance");
 * }</pre>
 *
 * @param allowed whether the join may proceed
 * @param reason  why it was refused (sent to the peer), or empty when allowed
 */
public record JoinDecision(boolean allowed, String reason) {

    private static final JoinDecision ALLOW = new JoinDecision(true, "");

    /** Checks the reason is present. */
    public JoinDecision {
        Objects.requireNonNull(reason, "reason");
    }

    /** The join may proceed. */
    public static JoinDecision allow() {
        return ALLOW;
    }

    /** The join is refused because of {@code reason}. */
    public static JoinDecision deny(String reason) {
        return new JoinDecision(false, reason);
    }
}
