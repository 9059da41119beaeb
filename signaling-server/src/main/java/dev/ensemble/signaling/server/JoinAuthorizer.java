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
}
