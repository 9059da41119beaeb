package dev.ensemble.piano.room;

/**
 * The answer to a revocation the room's owner made ({@link NetworkPianoRoom#revoke}): who was revoked,
 * from which closed room, and the revocation's id (as the peers' logs name it). The member is cut off
 * by the owner at once and by every other member as the revocation reaches them; each then hears the
 * player leave. Immutable.
 *
 * @param member the revoked member's did:key
 * @param name the member's name as its presence showed it when it was revoked
 * @param room the closed room
 * @param revocation the revocation's id, 32 hex digits
 */
public record RevokedMember(String member, String name, String room, String revocation) {}
