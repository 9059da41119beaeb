package dev.ensemble.piano.room;

import dev.ensemble.collab.ephemeral.PeerPresence;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.Actor;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.internal.MembersActions;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.InviteException;
import dev.ensemble.transport.membership.Revocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's membership of its room ({@code /piano/members}): in a closed room, whose it is and who was
 * revoked; and, for the room's owner, the one way to revoke a member of a running piano. Every network
 * player has one, so that asking an open room, or a player that does not own the room, to revoke gets an
 * answer that says why not.
 *
 * <p>{@link #revoke} signs {@link Revocation#ofMember} with the owner's key and hands it to the player's
 * {@link ClosedRoom}, which every {@code MembershipTransport} of the player shares: they stop sending to
 * the member at once, report it disconnected (so presence reports the player leaving), and gossip the
 * revocation to every member, the revoked one included, which then leaves by itself. A room built with
 * a revocation file appends it there.
 *
 * <p>The revoked list follows the room's revocations, gossiped ones too: the room's listener runs on the
 * thread that applied the revocation and re-enters through the mailbox.
 *
 * <p>Threading: an actor; its actions arrive through its client, from any thread.
 *
 * <pre>
 * $ ensemble-shell --pid 12345 -c "send /players/ada/piano/members revoke '\"did:key:z6Mk...\"'"
 * {
 *   "member" : "did:key:z6Mk...",
 *   "name" : "Bob",
 *   "room" : "jam",
 *   "revocation" : "5c0f..."
 * }
 * </pre>
 */
final class MembersActor extends Actor<MembersView> implements MembersActions {
    private static final Logger LOG = LoggerFactory.getLogger(MembersActor.class);

    private final ClosedRoom room;
    private final PeerIdentity owner;
    private final PeerId self;
    /** Set at start, removed at stop: tells this actor of each revocation the room applies. */
    private Consumer<Revocation> listener;

    /**
     * @param room the player's closed room, or null in an open room
     * @param owner the owner's identity if this player owns {@code room}, else null
     * @param self this player
     */
    MembersActor(ClosedRoom room, PeerIdentity owner, PeerId self) {
        super(
                room == null
                        ? MembersView.OPEN
                        : new MembersView(
                                true,
                                room.room(),
                                room.owner().toString(),
                                owner != null,
                                room.revocations().stream()
                                        .filter(r -> r.kind() == Revocation.Kind.MEMBER)
                                        .map(r -> r.member().toString())
                                        .toList()));
        this.room = room;
        this.owner = owner;
        this.self = self;
    }

    @Override
    protected void onStart() {
        if (room != null) {
            var mailbox = mailboxExecutor();
            listener = revocation -> mailbox.execute(() -> learned(revocation));
            room.addRevocationListener(listener);
        }
    }

    @Override
    protected void onStop() {
        if (listener != null) {
            room.removeRevocationListener(listener);
        }
    }

    @Override
    public CompletableFuture<RevokedMember> revoke(String member) {
        if (room == null) {
            throw new IllegalStateException("player " + self + " is in an open room: anyone the signaling server"
                    + " lets in may play, so there is no membership to revoke; a room whose owner can revoke"
                    + " members is created with --invite-out FILE (docs/PIANO.md, \"Closed rooms\")");
        }
        if (owner == null) {
            throw new IllegalStateException("only the owner of closed room '" + room.room() + "' (" + room.owner()
                    + ") may revoke its members; this player (" + self + ") joined it with an invite");
        }
        PeerId target = parse(member);
        if (target.equals(self)) {
            throw new IllegalArgumentException(target + " is this player, the owner of closed room '" + room.room()
                    + "', who cannot be revoked: every invite of the room is the owner's, so none would hold;"
                    + " name another member's did:key");
        }
        if (room.isRevoked(target)) {
            throw new IllegalArgumentException(
                    target + " was already revoked from closed room '" + room.room() + "'; it is no longer a member");
        }
        Roster roster = dependency(NetworkPianoRoom.PEERS).state();
        if (roster.transportOf(target).isEmpty()) {
            throw new IllegalArgumentException(target + " is not a member of closed room '" + room.room()
                    + "' playing with this player; the members now are " + members(roster));
        }
        String name = nameOf(target);
        Revocation revocation = Revocation.ofMember(owner, room.room(), target, Instant.now());
        try {
            room.revoke(revocation);
        } catch (InviteException e) {
            throw new IllegalStateException(
                    "closed room '" + room.room() + "' refused the revocation of " + target + ": " + e.getMessage(), e);
        }
        learned(revocation);
        LOG.info("player {}: revoked {} ({}) from closed room '{}'", self, target, name, room.room());
        return reply(new RevokedMember(target.toString(), name, room.room(), revocation.idHex()));
    }

    /** Adds a member revocation the room applied to the view, once. */
    private void learned(Revocation revocation) {
        if (revocation.kind() != Revocation.Kind.MEMBER) {
            return;
        }
        String member = revocation.member().toString();
        MembersView view = state();
        if (!view.revoked().contains(member)) {
            List<String> revoked = new ArrayList<>(view.revoked());
            revoked.add(member);
            setState(new MembersView(view.closed(), view.room(), view.owner(), view.ownedHere(), revoked));
        }
    }

    private PeerId parse(String member) {
        if (member == null || member.isBlank()) {
            throw new IllegalArgumentException("name the member to revoke by its did:key, as `cat room` lists it"
                    + " (players[].id); the members now are "
                    + members(dependency(NetworkPianoRoom.PEERS).state()));
        }
        try {
            return PeerId.parse(member.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + member + "' is not a member's did:key (" + e.getMessage() + "); the members now are "
                            + members(dependency(NetworkPianoRoom.PEERS).state()),
                    e);
        }
    }

    /** @return the connected members, each with the name its presence shows, for error messages */
    private String members(Roster roster) {
        if (roster.peers().isEmpty()) {
            return "none";
        }
        return roster.peers().stream()
                .map(peer -> nameOf(peer) + " " + peer)
                .sorted()
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private String nameOf(PeerId peer) {
        PeerPresence<PresenceCard> card =
                dependency(NetworkPianoRoom.PRESENCE).state().peers().get(peer);
        return card == null
                ? peer.shortForm()
                : card.state().toPlayer(peer, TransportKind.OTHER).name();
    }
}
