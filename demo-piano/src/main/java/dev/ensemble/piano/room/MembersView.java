package dev.ensemble.piano.room;

import java.util.List;

/**
 * What a player's membership actor ({@code /piano/members}) shows: whether its room is closed, whose it
 * is, and the members revoked so far as this player knows them (its own revocations, if it owns the room,
 * and those gossiped to it). Immutable.
 *
 * @param closed whether the room admits members only ({@code --invite-out} or {@code --invite})
 * @param room the closed room's name; null in an open room
 * @param owner the closed room owner's did:key; null in an open room
 * @param ownedHere whether this player owns the room, and so may revoke its members
 * @param revoked the did:keys of the revoked members, in the order this player learned of them
 */
record MembersView(boolean closed, String room, String owner, boolean ownedHere, List<String> revoked) {
    MembersView {
        revoked = List.copyOf(revoked);
    }

    /** The view of an open room: no owner, nobody to revoke. */
    static final MembersView OPEN = new MembersView(false, null, null, false, List.of());
}
