package dev.ensemble.signaling.server;

import java.util.Objects;

/**
 * What a {@link JoinAuthorizer} made of a revocation a member passed on with {@code revoke}
 * ({@link JoinAuthorizer#acceptRevocation}). Immutable.
 *
 * <pre>{@code
 * return known.add(id) ? RevocationDecision.applied() : RevocationDecision.known();
 * }</pre>
 *
 * @param outcome what became of it
 * @param reason why it is malformed or refused (sent to the member who passed it on); empty otherwise
 */
public record RevocationDecision(Outcome outcome, String reason) {

    /** What became of a revocation. */
    public enum Outcome {
        /** New and now in force: the server checks the room's members on this node again and removes the refused. */
        APPLIED,
        /** Already known (a replay, or a second member passing on the same one): nothing changes, no answer. */
        KNOWN,
        /** This authorizer keeps no revocations for the room (an open room): nothing changes, no answer. */
        IGNORED,
        /** Not a revocation at all; the sender gets {@code bad-request} with the reason. */
        MALFORMED,
        /** A revocation the room's rules refuse (not by its owner, for another room, ...); {@code unauthorized}. */
        REFUSED
    }

    private static final RevocationDecision APPLIED = new RevocationDecision(Outcome.APPLIED, "");
    private static final RevocationDecision KNOWN = new RevocationDecision(Outcome.KNOWN, "");
    private static final RevocationDecision IGNORED = new RevocationDecision(Outcome.IGNORED, "");

    /** Checks that no field is null. */
    public RevocationDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    /** The revocation is new and in force. */
    public static RevocationDecision applied() {
        return APPLIED;
    }

    /** The revocation was known already. */
    public static RevocationDecision known() {
        return KNOWN;
    }

    /** No revocations are kept for the room. */
    public static RevocationDecision ignored() {
        return IGNORED;
    }

    /** The text is not a revocation, because of {@code reason}. */
    public static RevocationDecision malformed(String reason) {
        return new RevocationDecision(Outcome.MALFORMED, reason);
    }

    /** The room's rules refuse the revocation, because of {@code reason}. */
    public static RevocationDecision refused(String reason) {
        return new RevocationDecision(Outcome.REFUSED, reason);
    }
}
