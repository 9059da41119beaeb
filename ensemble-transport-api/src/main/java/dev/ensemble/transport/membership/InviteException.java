package dev.ensemble.transport.membership;

import java.util.Objects;

/**
 * An invite, chain or revocation was refused. {@link #problem()} says which rule it broke, for code
 * that reacts (a UI that asks for a new invite when it {@link Problem#EXPIRED expired}); the message
 * says the rule, the value seen and what to do, for people.
 *
 * <pre>{@code
 * try {
 *   room.admit(peer, chain);
 * } catch (InviteException e) {
 *   log.warn("refused {}: {} ({})", peer, e.getMessage(), e.problem());
 * }
 * }</pre>
 */
public final class InviteException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Which rule an invite, chain or revocation broke. */
    public enum Problem {
        /** Not an encoding of this version: wrong length, version, type, flags, UTF-8 or trailing bytes. */
        MALFORMED,
        /** Longer than the limits allow (chain length, sizes, number of revocations); checked before any work. */
        TOO_LARGE,
        /** A signature does not verify with the key of the one it claims to be signed by. */
        FORGED,
        /** Signed for another room. */
        WRONG_ROOM,
        /** The first invite of the chain (or a revocation) is not signed by the room's owner. */
        NOT_FROM_OWNER,
        /** A link is signed by someone other than the holder of the invite before it. */
        BROKEN_CHAIN,
        /** A member delegated although the invite it holds does not allow it to. */
        DELEGATION_NOT_ALLOWED,
        /** The chain names another peer than the one presenting it. */
        NOT_THE_INVITEE,
        /** A peer other than the owner presented no invite. */
        NO_INVITE,
        /** An invite of the chain has expired (beyond the allowed clock skew). */
        EXPIRED,
        /**
         * A bearer invite without a holder key (made before proof of possession): anyone who saw it could use
         * it, so it is refused.
         */
        UNBOUND_BEARER,
        /**
         * The chain ends with a bearer invite and its presenter did not prove that it holds the invite's holder
         * key for this connection or join: a copied or replayed chain, or a peer of a version without the proof.
         */
        NO_PROOF,
        /** A revocation names the room's owner, who cannot be revoked (the room would have no one to admit). */
        OWNER_NOT_REVOCABLE,
        /** An invite or revocation is dated in the future (beyond the allowed clock skew). */
        NOT_YET_VALID,
        /** An invite of the chain, or a member it names, was revoked by the owner. */
        REVOKED
    }

    private final Problem problem;

    /**
     * Creates the exception.
     *
     * @param problem which rule was broken
     * @param message the rule, the value seen and what to do
     */
    public InviteException(Problem problem, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /**
     * Returns which rule was broken.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }

    /** The problem, then the message. */
    @Override
    public String toString() {
        return "InviteException[" + problem + "]: " + getMessage();
    }
}
