package dev.ensemble.piano.room.internal;

import dev.ensemble.piano.room.RevokedMember;
import java.util.concurrent.CompletableFuture;

/**
 * INTERNAL API: the actions of the network piano room's membership actor ({@code /piano/members});
 * public only because actor proxies need a public interface. The client's proxy may be called from
 * any thread.
 */
public interface MembersActions {
    /**
     * Revokes a member of this player's closed room, which this player owns: signs a revocation of the
     * member's did:key and hands it to the room, whose membership stages cut the member off and gossip
     * the revocation to every other member (the member hears it too, and leaves). Ask.
     *
     * @param member the member's did:key, as the room actor lists it ({@code players[].id})
     * @return what was revoked
     */
    CompletableFuture<RevokedMember> revoke(String member);
}
