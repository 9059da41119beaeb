package dev.ensemble.piano.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.SimPianoRooms.LeftHeard;
import dev.ensemble.piano.room.SimPianoRooms.Member;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.MembershipTransport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The owner of a closed room revokes a member of the running room ({@link NetworkPianoRoom#revoke}, the
 * action the shell reaches at {@code /piano/members}): three players of closed room "jam" on the network
 * simulator, each transport wrapped in a {@link MembershipTransport} as the piano does, every actor on
 * the test's thread. Bad requests are refused with a message that says what was wrong. The same command
 * across JVMs, through the shell and a real server, is {@code process.RevokeAcrossProcessesTest}.
 */
class RevokeMemberTest {
    private static final String ROOM = "jam";

    private final PeerIdentity ownerKey = TestPeers.identity("owner");
    private final List<NetworkPianoRoom> rooms = new ArrayList<>();
    private NetworkSimulator network;
    private Member owner;
    private Member ann;
    private Member bob;

    @BeforeEach
    void joinTheClosedRoom() throws IOException {
        network = NetworkSimulator.builder()
                .seed(17)
                .conditions(
                        LinkConditions.builder().latency(SimPianoRooms.ONE_WAY).build())
                .build();
        Instant now = Instant.now();
        HeldInvite invite = HeldInvite.issueBearer(ownerKey, ROOM, false, now, now.plus(Duration.ofHours(1)));
        owner = join("owner", "Owner", HeldInvite.owner(), true);
        ann = join("ann", "Ann", invite, false);
        bob = join("bob", "Bob", invite, false);
        network.runUntilQuiet(1_000_000);
        for (Member each : List.of(owner, ann, bob)) {
            assertEquals(3, each.presentIds().size(), each.player.name() + " lists " + each.presentIds());
        }
    }

    private Member join(String key, String name, HeldInvite invite, boolean owns) throws IOException {
        PeerIdentity identity = owns ? ownerKey : TestPeers.identity(key);
        PeerId peer = identity.peerId();
        ClosedRoom closed = ClosedRoom.builder(ROOM, ownerKey.peerId()).build();
        Player player = new Player(
                peer.toString(),
                name,
                Player.paletteColor(rooms.size()),
                SimPianoRooms.INSTRUMENTS[0],
                TransportKind.LOCAL);
        NetworkPianoRoom.Builder builder = NetworkPianoRoom.builder(peer, player)
                .transport(MembershipTransport.wrap(network.transportFor(peer), closed, peer, invite))
                .closedRoom(closed)
                .dispatcher(DispatcherSelector.callingThread())
                .callbackExecutor(Runnable::run)
                .clock(network.clock())
                .pingInterval(SimPianoRooms.NEVER)
                .checkInterval(SimPianoRooms.NEVER)
                .resyncInterval(SimPianoRooms.NEVER);
        if (owns) {
            builder.owner(identity);
        }
        NetworkPianoRoom room = builder.join();
        rooms.add(room);
        return new Member(player, room);
    }

    @AfterEach
    void leave() {
        rooms.forEach(NetworkPianoRoom::close);
    }

    @Test
    void theOwnerRevokesAMemberWhomEveryoneThenStopsHearingWhileTheOthersPlayOn() throws Exception {
        RevokedMember revoked = owner.room.revoke(bob.player.id()).get(5, TimeUnit.SECONDS);
        assertEquals(bob.player.id(), revoked.member());
        assertEquals("Bob", revoked.name());
        assertEquals(ROOM, revoked.room());
        assertEquals(32, revoked.revocation().length(), revoked.toString());
        network.runUntilQuiet(1_000_000);

        for (Member listener : List.of(owner, ann)) {
            assertEquals(
                    List.of(bob.player.id()),
                    listener.heard(LeftHeard.class).stream()
                            .map(l -> l.player().id())
                            .toList(),
                    listener.player.name() + " heard Bob leave, and nobody else");
            assertFalse(
                    listener.presentIds().contains(bob.player.id()),
                    listener.presentIds().toString());
        }
        assertEquals(List.of(bob.player.id()), bob.presentIds(), "Bob is cut off from everyone");

        bob.room.send(NoteEvent.on(bob.player.id(), 60, 90));
        ann.room.send(NoteEvent.on(ann.player.id(), 64, 90));
        owner.room.send(NoteEvent.on(owner.player.id(), 67, 90));
        network.runUntilQuiet(1_000_000);
        assertEquals(List.of(), owner.messagesFrom(bob.player.id()), "the owner no longer hears Bob");
        assertEquals(List.of(), ann.messagesFrom(bob.player.id()), "Ann no longer hears Bob");
        assertEquals(1, owner.messagesFrom(ann.player.id()).size(), "the owner still hears Ann");
        assertEquals(1, ann.messagesFrom(owner.player.id()).size(), "Ann still hears the owner");
        assertEquals(List.of(), bob.messagesFrom(ann.player.id()), "Bob no longer hears Ann");

        // Every player's membership actor knows of it: the owner's own, and Ann's and Bob's by gossip.
        for (NetworkPianoRoom room : rooms) {
            assertEquals(List.of(bob.player.id()), room.membersView().revoked());
        }
        assertTrue(owner.room.membersView().ownedHere());
        assertFalse(ann.room.membersView().ownedHere());
    }

    @Test
    void aMemberWhoDoesNotOwnTheRoomMayNotRevoke() {
        assertEquals(
                "only the owner of closed room 'jam' (" + ownerKey.peerId() + ") may revoke its members; this player ("
                        + ann.player.id() + ") joined it with an invite",
                refusal(ann.room.revoke(bob.player.id()), IllegalStateException.class));
        network.runUntilQuiet(1_000_000);
        assertTrue(owner.presentIds().contains(bob.player.id()), "nothing was revoked");
    }

    @Test
    void anUnknownDidKeyIsRefusedNamingTheMembers() {
        PeerId stranger = TestPeers.id("stranger");
        String refused = refusal(owner.room.revoke(stranger.toString()), IllegalArgumentException.class);
        assertTrue(
                refused.startsWith(stranger + " is not a member of closed room 'jam' playing with this player; the"
                        + " members now are ["),
                refused);
        assertTrue(refused.contains("Ann " + ann.player.id()), refused);
        assertTrue(refused.contains("Bob " + bob.player.id()), refused);
    }

    @Test
    void somethingThatIsNotADidKeyIsRefused() {
        String refused = refusal(owner.room.revoke("Bob"), IllegalArgumentException.class);
        assertTrue(
                refused.startsWith("'Bob' is not a member's did:key (a peer id must start with 'did:key:z' but is"
                        + " 'Bob'); the members now are ["),
                refused);
        assertTrue(refusal(owner.room.revoke(" "), IllegalArgumentException.class)
                .startsWith("name the member to revoke by its did:key"));
    }

    @Test
    void theOwnerCannotRevokeItself() {
        assertEquals(
                ownerKey.peerId() + " is this player, the owner of closed room 'jam', who cannot be revoked: every"
                        + " invite of the room is the owner's, so none would hold; name another member's did:key",
                refusal(owner.room.revoke(ownerKey.peerId().toString()), IllegalArgumentException.class));
    }

    @Test
    void aMemberRevokedAlreadyIsRefused() throws Exception {
        owner.room.revoke(bob.player.id()).get(5, TimeUnit.SECONDS);
        network.runUntilQuiet(1_000_000);
        assertEquals(
                bob.player.id() + " was already revoked from closed room 'jam'; it is no longer a member",
                refusal(owner.room.revoke(bob.player.id()), IllegalArgumentException.class));
    }

    @Test
    void anOpenRoomHasNobodyToRevoke() {
        try (SimPianoRooms open = new SimPianoRooms(17, 2)) {
            NetworkPianoRoom first = open.member(0).room;
            assertEquals(
                    "player " + first.self().id() + " is in an open room: anyone the signaling server lets in may"
                            + " play, so there is no membership to revoke; a room whose owner can revoke members is"
                            + " created with --invite-out FILE (docs/PIANO.md, \"Closed rooms\")",
                    refusal(first.revoke(open.member(1).player.id()), IllegalStateException.class));
            assertFalse(first.membersView().closed());
        }
    }

    @Test
    void onlyTheRoomsOwnerCanBeMadeItsOwner() throws IOException {
        PeerIdentity dora = TestPeers.identity("dora");
        Player player =
                new Player(dora.peerId().toString(), "Dora", 0, SimPianoRooms.INSTRUMENTS[0], TransportKind.LOCAL);
        IllegalArgumentException notHers = assertThrows(
                IllegalArgumentException.class,
                () -> NetworkPianoRoom.builder(dora.peerId(), player).owner(ownerKey));
        assertEquals(
                "the owner's identity " + ownerKey.peerId() + " must be this player's, " + dora.peerId()
                        + ": a player owns the room only with its own key",
                notHers.getMessage());
        NetworkPianoRoom.Builder open = NetworkPianoRoom.builder(dora.peerId(), player)
                .transport(network.transportFor(dora.peerId()))
                .owner(dora);
        assertEquals(
                "player " + dora.peerId() + " was made the owner, but its room is open; give the closed room with"
                        + " closedRoom(...)",
                assertThrows(IllegalStateException.class, open::join).getMessage());
        PeerIdentity eve = TestPeers.identity("eve");
        NetworkPianoRoom.Builder others = NetworkPianoRoom.builder(
                        eve.peerId(),
                        new Player(
                                eve.peerId().toString(), "Eve", 0, SimPianoRooms.INSTRUMENTS[0], TransportKind.LOCAL))
                .transport(network.transportFor(eve.peerId()))
                .closedRoom(ClosedRoom.builder(ROOM, ownerKey.peerId()).build())
                .owner(eve);
        assertEquals(
                "player " + eve.peerId() + " was made the owner, but closed room 'jam' is owned by "
                        + ownerKey.peerId(),
                assertThrows(IllegalStateException.class, others::join).getMessage());
    }

    /** @return the message of the exception {@code answer} failed with, checking its type */
    private static String refusal(CompletableFuture<?> answer, Class<? extends Exception> type) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
        assertInstanceOf(type, failed.getCause(), failed.toString());
        return failed.getCause().getMessage();
    }
}
