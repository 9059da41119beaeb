package dev.ensemble.signaling.server;

import dev.ensemble.transport.PeerId;

/**
 * Decides whether a verified peer may join a room. The default, {@link #ALLOW_ALL}, lets anyone join any
 * room; deployments plug in their own policy (an allow list, a lookup in memory, a check of their own
 * token format).
 *
 * <p>Threading: called on the server's single room thread, one join at a time, so it must be fast and
 * must not block (no network or disk); a slow authorizer stalls every room. If it throws, the join is
 * refused and the exception is logged. When join tokens are enabled, this runs after the token was
 * verified.
 *
 * <pre>{@code
 * JoinAuthorizer staffOnly = (peer, room, token) -> room.startsWith("staff/") && !staff.contains(peer)
 *         ? JoinDecision.deny("room " + room + " is for staff only")
 *         : JoinDecision.allow();
 * }</pre>
 */
@FunctionalInterface
public interface JoinAuthorizer {

    /** Lets every peer join every room. */
    JoinAuthorizer ALLOW_ALL = (peer, room, token) -> JoinDecision.allow();

    /**
     * Decides one join.
     *
     * @param peer  the verified identity asking to join
     * @param room  the room name (already valid by {@link dev.ensemble.signaling.protocol.RoomName})
     * @param token the token the peer sent with its {@code join}, or null
     * @return allow, or deny with a reason the peer will read in its {@code unauthorized} error
     */
    JoinDecision authorize(PeerId peer, String room, String token);

    /**
     * Decides one join, knowing the challenge nonce of the joining connection, so that a token can prove
     * something about this connection (a closed room's bearer invite comes with a proof of possession bound
     * to it: {@link InviteJoinAuthorizer}). The server calls this one; by default it ignores the nonce.
     *
     * @param peer the verified identity asking to join
     * @param room the room name
     * @param token the token the peer sent with its {@code join}, or null
     * @param challengeNonce the nonce of the challenge the server sent on this connection, as sent
     * @return allow, or deny with a reason
     */
    default JoinDecision authorize(PeerId peer, String room, String token, String challengeNonce) {
        return authorize(peer, room, token);
    }

    /**
     * Whether this authorizer reads the join's token itself for {@code room}, so that the server does not
     * check it as a signed join token first (an {@link InviteJoinAuthorizer}'s closed rooms carry an invite
     * there). Called on the room thread; must be fast.
     *
     * @param room the room name
     * @return false by default: the server checks join tokens, when it requires them, before this authorizer
     */
    default boolean checksTokenItself(String room) {
        return false;
    }

    /**
     * Takes a revocation a member of {@code room} passed on with {@code revoke} (the room's owner signed it;
     * the members gossip it and pass it on to the server). When the answer is {@link
     * RevocationDecision#applied()}, the server calls {@link #authorize(PeerId, String, String, String)} again
     * for every member of {@code room} connected to it, with the token and challenge nonce of its join, and
     * removes from the room those now refused (each gets {@code unauthorized} naming the room and the reason).
     *
     * <p>Threading: called on the room thread, as {@link #authorize}; a signature check and a short append to a
     * file are acceptable (revocations are rare and each one is applied once), more is not. If it throws, the
     * revocation is refused and the exception logged.
     *
     * @param room the room the sender is in (valid by {@link dev.ensemble.signaling.protocol.RoomName})
     * @param revocation the revocation's text form as the member sent it ({@code ensemble-revocation:...}, at
     *     most {@link dev.ensemble.signaling.protocol.ClientMessage.Revoke#MAX_REVOCATION_CHARS} characters);
     *     not yet checked beyond that
     * @return {@link RevocationDecision#ignored()} by default: this authorizer keeps no revocations for the
     *     room, so nothing changes and the sender gets no answer
     */
    default RevocationDecision acceptRevocation(String room, String revocation) {
        return RevocationDecision.ignored();
    }
}
