package dev.ensemble.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.Invite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.MembershipTransport;
import dev.ensemble.transport.membership.Revocation;
import dev.ensemble.transport.secure.SecureTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closed rooms over the real relay: a signaling server on 127.0.0.1 that does not check invites lets
 * everyone into the room, and the full stack (relay, sessions, membership) keeps strangers away from the
 * layer above and cuts off a member the owner revokes.
 */
class ClosedRoomOverRelayTest {
    private static final String ROOM = "closed-room";

    private final PeerIdentity owner = PeerIdentity.generate();
    private final Instant now = Instant.now();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : closeables) {
            each.close();
        }
        server.close();
    }

    private record Member(PeerIdentity identity, MembershipTransport transport, RecordingListener events) {
        PeerId id() {
            return identity.peerId();
        }
    }

    private Member member(PeerIdentity identity, PeerId roomOwner, InviteChain chain) throws Exception {
        return member(identity, roomOwner, HeldInvite.of(chain));
    }

    private Member member(PeerIdentity identity, PeerId roomOwner, HeldInvite chain) throws Exception {
        Transport sealed = SecureTransport.wrap(server.transport(ROOM, identity), identity, ROOM);
        MembershipTransport transport = MembershipTransport.wrap(
                sealed, ClosedRoom.builder(ROOM, roomOwner).build(), identity.peerId(), chain);
        closeables.add(transport::close);
        RecordingListener events = new RecordingListener();
        transport.start(events);
        return new Member(identity, transport, events);
    }

    private Member invited(PeerIdentity identity) throws Exception {
        return member(
                identity,
                owner.peerId(),
                InviteChain.of(
                        Invite.issue(owner, ROOM, identity.peerId(), false, now, now.plus(Duration.ofHours(1)))));
    }

    @Test
    void strangersTheServerLetsInNeverReachTheLayerAbove() throws Exception {
        Member host = member(owner, owner.peerId(), InviteChain.empty());
        Member bob = invited(PeerIdentity.generate());
        Await.until(
                "the owner and bob are members to each other",
                () -> host.events.isConnectedTo(bob.id()) && bob.events.isConnectedTo(host.id()));

        // A stranger with sessions but no membership stage: it talks as soon as its sessions are up.
        PeerIdentity plainStranger = PeerIdentity.generate();
        SecureTransport sealedStranger =
                SecureTransport.wrap(server.transport(ROOM, plainStranger), plainStranger, ROOM);
        closeables.add(sealedStranger::close);
        RecordingListener strangerEvents = new RecordingListener();
        sealedStranger.start(strangerEvents);
        Await.until(
                "the stranger's sessions are up",
                () -> strangerEvents.isConnectedTo(host.id()) && strangerEvents.isConnectedTo(bob.id()));
        for (int i = 0; i < 5; i++) {
            sealedStranger.send(host.id(), ("\u0001let me in " + i).getBytes(UTF_8));
            sealedStranger.send(bob.id(), ("\u0001let me in " + i).getBytes(UTF_8));
        }
        // A stranger who made up its own "closed room" and owns it: it presents the owner's empty chain.
        PeerIdentity selfMade = PeerIdentity.generate();
        member(selfMade, selfMade.peerId(), InviteChain.empty());

        for (Member each : List.of(host, bob)) {
            Await.until(
                    "both strangers refused",
                    () -> each.transport.counters().peersRefused() == 2,
                    () -> each.transport.counters() + " " + each.events.errors());
            Await.until(
                    "the plain stranger's five frames dropped",
                    () -> each.transport.counters().framesDropped() >= 5);
            // The counter is raised before the event reaches the listener: wait for the event too.
            Await.until(
                    "both refusals reported",
                    () -> each.events.errors().size() >= 2,
                    () -> each.events.errors().toString());
            assertEquals(List.of(), each.events.messages());
            assertEquals(2, each.events.errors().size(), each.events.errors().toString());
            for (TransportException error : each.events.errors()) {
                assertEquals(Reason.NOT_A_MEMBER, error.reason());
                PeerId who = error.peer().orElseThrow();
                assertTrue(who.equals(plainStranger.peerId()) || who.equals(selfMade.peerId()), error.toString());
                assertTrue(
                        error.getMessage()
                                .contains(who.equals(selfMade.peerId()) ? "[NO_INVITE]" : "before presenting"),
                        error.getMessage());
            }
        }
        assertEquals(1, host.events.connectedPeers().size());
        assertTrue(host.transport.send(bob.id(), "\u0001still here".getBytes(UTF_8)));
        Await.until("bob still hears the owner", () -> !bob.events.messages().isEmpty());
    }

    @Test
    void aStrangerReplayingABearerChainItWasShownIsRefusedByEveryMember() throws Exception {
        HeldInvite file = HeldInvite.issueBearer(owner, ROOM, false, now, now.plus(Duration.ofHours(1)));
        Member host = member(owner, owner.peerId(), InviteChain.empty());
        Member bob = member(PeerIdentity.generate(), owner.peerId(), HeldInvite.parse(file.toText()));
        Await.until(
                "the owner and bob, a bearer of the file, are members to each other",
                () -> host.events.isConnectedTo(bob.id()) && bob.events.isConnectedTo(host.id()));

        // A stranger the server lets in, with sessions, speaking the stage's protocol by hand: it says hello
        // to bob, is shown bob's chain and proof, and replays them to the owner.
        PeerIdentity strangerId = PeerIdentity.generate();
        SecureTransport stranger = SecureTransport.wrap(server.transport(ROOM, strangerId), strangerId, ROOM);
        closeables.add(stranger::close);
        RecordingListener seen = new RecordingListener();
        stranger.start(seen);
        Await.until(
                "the stranger's sessions are up", () -> seen.isConnectedTo(host.id()) && seen.isConnectedTo(bob.id()));
        byte[] hello = new byte[34];
        hello[0] = MembershipTransport.FRAME_MARKER;
        hello[1] = 0x03;
        stranger.send(bob.id(), hello);
        Await.until(
                "bob showed the stranger his chain",
                () -> seen.messages().stream().anyMatch(m -> m.from().equals(bob.id()) && m.message()[1] == 0x04));
        byte[] shown = seen.messages().stream()
                .filter(m -> m.from().equals(bob.id()) && m.message()[1] == 0x04)
                .findFirst()
                .orElseThrow()
                .message();
        stranger.send(host.id(), shown);
        stranger.send(host.id(), "\u0001let me in".getBytes(UTF_8));
        Await.until(
                "the owner refused the replay",
                () -> !host.events.errors().isEmpty(),
                () -> host.transport.counters().toString());
        TransportException error = host.events.errors().get(0);
        assertEquals(Reason.NOT_A_MEMBER, error.reason());
        assertEquals(strangerId.peerId(), error.peer().orElseThrow());
        assertTrue(error.getMessage().contains("[NO_PROOF]"), error.getMessage());
        assertEquals(List.of(), host.events.messages());
        assertEquals(java.util.Set.of(bob.id()), host.events.connectedPeers());

        // Whoever holds the whole file gets in, on its own proof.
        Member carol = member(PeerIdentity.generate(), owner.peerId(), HeldInvite.parse(file.toText()));
        Await.until(
                "carol, another bearer of the file, is a member to both",
                () -> host.events.isConnectedTo(carol.id()) && bob.events.isConnectedTo(carol.id()));
    }

    @Test
    void aRevokedMemberIsCutOffByEveryoneThroughTheRelay() throws Exception {
        Member host = member(owner, owner.peerId(), InviteChain.empty());
        Member bob = invited(PeerIdentity.generate());
        Member carol = invited(PeerIdentity.generate());
        Await.until(
                "all three are members to each other",
                () -> host.events.connectedPeers().size() == 2
                        && bob.events.connectedPeers().size() == 2
                        && carol.events.connectedPeers().size() == 2);

        assertTrue(host.transport.revoke(Revocation.ofMember(owner, ROOM, carol.id(), Instant.now())));
        Await.until(
                "bob learnt the revocation by gossip",
                () -> bob.transport.room().isRevoked(carol.id()));
        assertFalse(host.transport.send(carol.id(), "\u0001secret".getBytes(UTF_8)), "nothing more goes to carol");
        // The next frame on bob's transport makes it report the cut-off; the owner's notes are such frames.
        Await.until("bob and the owner report carol gone", () -> {
            host.transport.send(bob.id(), "\u0001tick".getBytes(UTF_8));
            bob.transport.send(host.id(), "\u0001tock".getBytes(UTF_8));
            return !bob.events.isConnectedTo(carol.id()) && !host.events.isConnectedTo(carol.id());
        });
        Await.until(
                "carol knows she was revoked",
                () -> carol.events.errors().stream()
                        .anyMatch(e -> e.peer().orElseThrow().equals(carol.id())));
        assertEquals(Reason.NOT_A_MEMBER, bob.events.errors().get(0).reason());
        assertEquals(carol.id(), bob.events.errors().get(0).peer().orElseThrow());
        assertTrue(bob.events.messages().stream().noneMatch(m -> m.from().equals(carol.id())));
        assertFalse(carol.transport.send(bob.id(), "\u0001still me".getBytes(UTF_8)));
    }
}
