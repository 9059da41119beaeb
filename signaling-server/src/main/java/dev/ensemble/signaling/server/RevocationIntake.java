package dev.ensemble.signaling.server;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.transport.PeerId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of {@code revoke}: a member passes on a closed room's revocation, the {@link
 * JoinAuthorizer} decides what it is worth, and a new one makes the server check the room's members on this
 * node again with the token each joined with, removing those now refused. Kept out of {@link Hub}, which
 * only routes the message here and does the removal.
 *
 * <p>Room thread only, like the {@link Hub} that owns it: the connections' session fields it reads belong to
 * that thread.
 */
final class RevocationIntake {

    /** What the intake needs of the {@link Hub}: the room's members here, and the two ways to answer. */
    interface Members {
        /** The connections on this node that are in {@code room} and not closing, as a copy. */
        List<Connection> local(String room);

        /** Takes {@code member} out of {@code room} (the others get {@code peer-left}) and tells it why. */
        void evict(Connection member, String room, String reason);

        /** Sends an error about {@code room} (and {@code peer}, if not null) and keeps the connection. */
        void refuse(Connection connection, ErrorCode code, String room, PeerId peer, String message);
    }

    private static final Logger log = LoggerFactory.getLogger(RevocationIntake.class);

    private final JoinAuthorizer authorizer;
    private final ServerMetrics metrics;
    private final Members members;

    RevocationIntake(JoinAuthorizer authorizer, ServerMetrics metrics, Members members) {
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.members = members;
    }

    /** A {@code revoke} from a verified connection. */
    void received(Connection from, ClientMessage.Revoke revoke) {
        String room = revoke.room();
        if (!from.rooms.contains(room)) {
            // Only members learn a room's revocations, so only members may pass them on (and make the server work).
            members.refuse(
                    from,
                    ErrorCode.NOT_IN_ROOM,
                    room,
                    null,
                    "revoke: you are not in room '" + room + "'; only its members pass on its revocations");
            return;
        }
        RevocationDecision decision;
        try {
            decision = authorizer.acceptRevocation(room, revoke.revocation());
        } catch (RuntimeException e) {
            log.warn("{}: join authorizer failed on a revocation for room {}; refusing it", from.describe(), room, e);
            decision = RevocationDecision.refused("the server could not check it; try again later");
        }
        switch (decision.outcome()) {
            case MALFORMED -> {
                metrics.revocation("malformed");
                members.refuse(
                        from,
                        ErrorCode.BAD_REQUEST,
                        room,
                        null,
                        "revoke: field \"revocation\" is not a revocation: " + decision.reason());
            }
            case REFUSED -> {
                metrics.revocation("refused");
                members.refuse(
                        from,
                        ErrorCode.UNAUTHORIZED,
                        room,
                        null,
                        "revoke: room '" + room + "' refused the revocation: " + decision.reason());
            }
            case IGNORED -> {
                metrics.revocation("ignored");
                log.debug("{}: revocation for room {} ignored: the server keeps none for it", from.describe(), room);
            }
            case KNOWN -> {
                metrics.revocation("known");
                log.debug("{}: revocation for room {} known already", from.describe(), room);
            }
            case APPLIED -> {
                metrics.revocation("accepted");
                log.info(
                        "{}: passed on a new revocation for room {}; checking its members again",
                        from.describe(),
                        room);
                recheck(room);
            }
        }
    }

    /** Asks the authorizer again about every member of {@code room} here, as at its join, and removes the refused. */
    private void recheck(String room) {
        for (Connection member : members.local(room)) {
            Connection.RoomStay stay = member.stays.get(room);
            JoinDecision decision;
            try {
                decision = authorizer.authorize(member.peer, room, stay == null ? null : stay.token, member.nonce);
            } catch (RuntimeException e) {
                // Its join was allowed; a failing authorizer is no reason to remove it.
                log.warn("{}: join authorizer failed rechecking room {}; keeping it", member.describe(), room, e);
                continue;
            }
            if (!decision.allowed()) {
                metrics.revocationEviction();
                log.info("{}: removed from room {} after a revocation: {}", member.describe(), room, decision.reason());
                members.evict(member, room, decision.reason());
            }
        }
    }
}
