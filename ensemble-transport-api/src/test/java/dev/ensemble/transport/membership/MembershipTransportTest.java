package dev.ensemble.transport.membership;

import static dev.ensemble.transport.membership.InviteVectorsTest.seeded;
import static dev.ensemble.transport.membership.Recorder.data;
import static dev.ensemble.transport.membership.Recorder.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MembershipTransport} alone over an in-memory network run on the test's thread: members meet,
 * strangers and bad chains are refused with one event each and never reach the layer above, revocations
 * gossip and cut members off, expiry does too.
 */
class MembershipTransportTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final PeerIdentity owner = seeded(1);
    private final PeerIdentity bob = seeded(2);
    private final PeerIdentity carol = seeded(3);
    private final PeerIdentity mallory = seeded(4);
    private final MutableClock clock = new MutableClock(NOW);
    private final ManualTimer timer = new ManualTimer(clock);
    private final Net net = new Net();

    private MembershipTransport stage(PeerIdentity who, InviteChain chain, Recorder recorder) throws IOException {
        return stage(who, HeldInvite.of(chain), recorder);
    }

    private MembershipTransport stage(PeerIdentity who, HeldInvite invite, Recorder recorder) throws IOException {
        ClosedRoom room = ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        MembershipTransport stage =
                MembershipTransport.wrap(net.endpoint(who.peerId()), room, who.peerId(), invite, timer);
        stage.start(recorder);
        return stage;
    }

    private HeldInvite bearerInvite() {
        return HeldInvite.issueBearer(owner, "jam", false, NOW, NOW.plus(Duration.ofHours(1)));
    }

    private InviteChain invite(PeerIdentity who, Duration validFor) {
        return InviteChain.of(Invite.issue(owner, "jam", who.peerId(), false, NOW, NOW.plus(validFor)));
    }

    @Test
    void membersAreReportedOnlyOnceTheirInviteIsAdmittedAndThenExchangeData() throws Exception {
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        assertFalse(bobStage.send(owner.peerId(), data("too early")));
        net.drain();
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
        assertEquals(Set.of(owner.peerId()), atBob.connected);
        assertTrue(bobStage.send(owner.peerId(), data("hello")));
        assertTrue(ownerStage.send(bob.peerId(), data("welcome")));
        net.drain();
        assertEquals(List.of(text(bob.peerId(), "hello")), atOwner.messages);
        assertEquals(List.of(text(owner.peerId(), "welcome")), atBob.messages);
        assertEquals(List.of(), atOwner.errors);
        assertEquals(Set.of(bob.peerId()), ownerStage.members());
    }

    @Test
    void aStrangerWithoutTheStageIsDroppedCountedAndNamedOnce() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        Net.Endpoint stranger = net.endpoint(mallory.peerId());
        stranger.start(TransportListener.NONE);
        net.drain();
        for (int i = 0; i < 5; i++) {
            stranger.send(owner.peerId(), data("let me in " + i));
        }
        net.drain();
        assertEquals(Set.of(), atOwner.connected);
        assertEquals(List.of(), atOwner.messages);
        assertEquals(1, atOwner.errors.size(), atOwner.errors.toString());
        TransportException error = atOwner.errors.get(0);
        assertEquals(Reason.NOT_A_MEMBER, error.reason());
        assertEquals(mallory.peerId(), error.peer().orElseThrow());
        assertEquals(
                "peer " + mallory.peerId() + " is not a member of closed room 'jam': it sent data before presenting an"
                        + " invite (a peer without the membership stage, or a stranger); its frames are dropped",
                error.getMessage());
        assertEquals(5, ownerStage.counters().framesDropped());
        assertEquals(1, ownerStage.counters().peersRefused());
        assertFalse(ownerStage.send(mallory.peerId(), data("no")));
    }

    @Test
    void eachBadChainIsRefusedWithItsReasonAndOthersAreUnaffected() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        Recorder atBob = new Recorder();
        stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        net.drain();
        Invite forged = Invite.issue(mallory, "jam", mallory.peerId(), false, NOW, NOW.plusSeconds(60));
        Invite otherRoom = Invite.issue(owner, "other", mallory.peerId(), false, NOW, NOW.plusSeconds(60));
        Invite expired =
                Invite.issue(owner, "jam", mallory.peerId(), false, NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        Invite bobs = Invite.issue(owner, "jam", bob.peerId(), false, NOW, NOW.plusSeconds(600));
        InviteChain notAllowed = InviteChain.of(bobs).delegate(bob, mallory.peerId(), false, NOW, NOW.plusSeconds(60));
        List<byte[]> presents = List.of(
                present(InviteChain.of(forged).encode()),
                present(InviteChain.of(otherRoom).encode()),
                present(InviteChain.of(expired).encode()),
                present(notAllowed.encode()),
                present(InviteChain.of(bobs).encode()),
                present(InviteChain.empty().encode()),
                present(new byte[] {1, 3, 9}),
                present(new byte[] {(byte) 0xde, (byte) 0xad}));
        List<String> expected = List.of(
                "NOT_FROM_OWNER",
                "WRONG_ROOM",
                "EXPIRED",
                "DELEGATION_NOT_ALLOWED",
                "NOT_THE_INVITEE",
                "NO_INVITE",
                "TOO_LARGE",
                "MALFORMED");
        for (int i = 0; i < presents.size(); i++) {
            // Each attempt is a new connection of the stranger's, as a reconnect would be.
            Net.Endpoint stranger = net.endpoint(mallory.peerId());
            stranger.start(TransportListener.NONE);
            net.drain();
            net.inject(mallory.peerId(), owner.peerId(), presents.get(i));
            net.inject(mallory.peerId(), owner.peerId(), data("sneaky"));
            net.drain();
            TransportException error = atOwner.errors.get(atOwner.errors.size() - 1);
            assertEquals(Reason.NOT_A_MEMBER, error.reason());
            assertTrue(error.getMessage().contains("[" + expected.get(i) + "]"), i + ": " + error.getMessage());
            assertEquals(i + 1, atOwner.errors.size(), "one event per refused connection");
        }
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
        assertEquals(List.of(), atOwner.messages);
        assertTrue(ownerStage.send(bob.peerId(), data("still fine")));
        net.drain();
        assertEquals(List.of(text(owner.peerId(), "still fine")), atBob.messages);
        assertEquals(List.of(), atBob.errors);
    }

    @Test
    void aRevocationIsGossipedAndCutsTheMemberOffEverywhere() throws Exception {
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        Recorder atCarol = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        MembershipTransport carolStage = stage(carol, invite(carol, Duration.ofHours(1)), atCarol);
        net.drain();
        assertEquals(Set.of(owner.peerId(), carol.peerId()), atBob.connected);

        Revocation kick = Revocation.ofMember(owner, "jam", carol.peerId(), NOW);
        assertTrue(ownerStage.revoke(kick));
        net.drain();
        assertEquals(Set.of(owner.peerId()), atBob.connected, "bob learnt of the revocation by gossip");
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
        assertEquals(1, bobStage.counters().revocationsAccepted());
        TransportException error = atBob.errors.get(0);
        assertEquals(Reason.NOT_A_MEMBER, error.reason());
        assertEquals(carol.peerId(), error.peer().orElseThrow());
        assertTrue(error.getMessage().contains("a member the owner revoked"), error.getMessage());

        // Carol's frames no longer reach bob's layer above, even relayed.
        net.inject(carol.peerId(), bob.peerId(), data("still here"));
        net.drain();
        assertEquals(List.of(), atBob.messages);
        assertFalse(bobStage.send(carol.peerId(), data("bye")));

        // A replay of the revocation changes nothing and travels no further.
        int bobSent = net.get(bob.peerId()).sent.size();
        long bobReplays = bobStage.counters().revocationsReplayed();
        assertFalse(ownerStage.revoke(kick));
        net.inject(owner.peerId(), bob.peerId(), revocationFrame(kick));
        net.drain();
        assertEquals(bobReplays + 1, bobStage.counters().revocationsReplayed());
        assertEquals(1, bobStage.counters().revocationsAccepted());
        assertEquals(bobSent, net.get(bob.peerId()).sent.size(), "bob forwarded the replay");
        assertTrue(ownerStage.counters().revocationsReplayed() >= 1);
        assertTrue(carolStage.members().isEmpty(), "carol is cut off by both: " + carolStage.members());
    }

    @Test
    void aRevocationLearntOnOneTransportCutsTheMemberOffOnAnotherSharingTheRoom() throws Exception {
        // Bob has two transports (say relay and WebRTC), each with its stage, over one ClosedRoom. The owner
        // is on the first only; carol on both.
        Net second = new Net();
        ClosedRoom bobsRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        Recorder atBob1 = new Recorder();
        Recorder atBob2 = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), new Recorder());
        MembershipTransport bob1 = MembershipTransport.wrap(
                net.endpoint(bob.peerId()), bobsRoom, bob.peerId(), invite(bob, Duration.ofHours(1)));
        MembershipTransport bob2 = MembershipTransport.wrap(
                second.endpoint(bob.peerId()), bobsRoom, bob.peerId(), invite(bob, Duration.ofHours(1)));
        bob1.start(atBob1);
        bob2.start(atBob2);
        ClosedRoom carolsRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        MembershipTransport.wrap(
                        second.endpoint(carol.peerId()), carolsRoom, carol.peerId(), invite(carol, Duration.ofHours(1)))
                .start(new Recorder());
        net.drain();
        second.drain();
        assertEquals(Set.of(carol.peerId()), atBob2.connected);

        ownerStage.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW));
        net.drain();
        assertTrue(bobsRoom.isRevoked(carol.peerId()));
        assertFalse(bob2.send(carol.peerId(), data("not to carol")), "refused at once on the other transport");
        second.drain();
        assertEquals(Set.of(), atBob2.connected, "reported at the next callback of the second transport");
        assertEquals(carol.peerId(), atBob2.errors.get(0).peer().orElseThrow());
        assertTrue(carolsRoom.isRevoked(carol.peerId()), "bob's second stage gossiped it to carol");
    }

    @Test
    void noFrameOfARevokedMemberIsDeliveredOnceTheRoomHoldsTheRevocation() throws Exception {
        // The revocation is applied on one thread (the owner's call, or another transport's) while the inner
        // transport's thread delivers the revoked member's frames. The room's listeners run one after another,
        // so a frame can arrive after the room holds the revocation but before this stage's own listener ran:
        // it must be dropped all the same.
        ClosedRoom ownersRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        Recorder atOwner = new Recorder();
        ownersRoom.addRevocationListener(revocation -> {
            net.inject(carol.peerId(), owner.peerId(), data("after the revocation"));
            net.drain();
        });
        MembershipTransport ownerStage =
                MembershipTransport.wrap(net.endpoint(owner.peerId()), ownersRoom, owner.peerId(), InviteChain.empty());
        ownerStage.start(atOwner);
        stage(carol, invite(carol, Duration.ofHours(1)), new Recorder());
        net.drain();
        assertEquals(Set.of(carol.peerId()), atOwner.connected);

        assertTrue(ownerStage.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW)));
        net.drain();
        assertEquals(List.of(), atOwner.messages);
        assertEquals(Set.of(), atOwner.connected);
    }

    @Test
    void aRevocationNotFromTheOwnerOrForAnotherRoomIsRefusedAndNamesTheSender() throws Exception {
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        net.drain();
        net.inject(
                owner.peerId(), bob.peerId(), revocationFrame(Revocation.ofMember(mallory, "jam", bob.peerId(), NOW)));
        net.inject(
                owner.peerId(), bob.peerId(), revocationFrame(Revocation.ofMember(owner, "other", bob.peerId(), NOW)));
        byte[] forged = revocationFrame(Revocation.ofMember(owner, "jam", carol.peerId(), NOW));
        forged[forged.length - 1] ^= 1;
        net.inject(owner.peerId(), bob.peerId(), forged);
        net.inject(owner.peerId(), bob.peerId(), new byte[] {3, 2, 1, 1});
        net.drain();
        assertEquals(4, bobStage.counters().revocationsRefused());
        assertEquals(0, bobStage.counters().revocationsAccepted());
        assertEquals(4, atBob.errors.size());
        List<String> problems = atBob.errors.stream()
                .map(e -> e.getMessage().replaceAll(".*\\[(\\w+)]$", "$1"))
                .toList();
        assertEquals(List.of("NOT_FROM_OWNER", "WRONG_ROOM", "FORGED", "MALFORMED"), problems);
        assertTrue(atBob.errors.stream().allMatch(e -> e.peer().orElseThrow().equals(owner.peerId())));
        assertEquals(Set.of(owner.peerId()), atBob.connected, "nothing else affected");
    }

    @Test
    void aMembersFrameOfTheMarkerAloneOrOfAnUnknownTypeNeverReachesTheLayerAbove() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        stage(bob, invite(bob, Duration.ofHours(1)), new Recorder());
        net.drain();
        net.inject(bob.peerId(), owner.peerId(), new byte[] {MembershipTransport.FRAME_MARKER});
        net.inject(bob.peerId(), owner.peerId(), new byte[] {MembershipTransport.FRAME_MARKER, 0x7f, 1});
        net.drain();
        assertEquals(List.of(), atOwner.messages);
        assertEquals(2, ownerStage.counters().framesDropped());
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
    }

    @Test
    void aMemberFloodingForgedRevocationsCostsAFewChecksAndErrorsNotOneEach() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        stage(bob, invite(bob, Duration.ofHours(1)), new Recorder());
        net.drain();
        byte[] forged = revocationFrame(Revocation.ofMember(owner, "jam", carol.peerId(), NOW));
        forged[forged.length - 1] ^= 1;
        for (int i = 0; i < 100; i++) {
            net.inject(bob.peerId(), owner.peerId(), forged);
        }
        net.drain();
        int limit = MembershipTransport.MAX_REFUSED_REVOCATIONS;
        assertEquals(limit, ownerStage.counters().revocationsRefused());
        assertEquals(100 - limit, ownerStage.counters().framesDropped());
        assertEquals(limit, atOwner.errors.size());
        assertTrue(
                atOwner.errors.get(limit - 1).getMessage().contains("its further revocations are dropped unread"),
                atOwner.errors.get(limit - 1).getMessage());
        assertEquals(Set.of(bob.peerId()), atOwner.connected, "bob is still a member; only his revocations are");
        assertFalse(ownerStage.room().isRevoked(carol.peerId()));
    }

    @Test
    void aStrangerIsNotSentTheRoomsRevocationsNorItsGossip() throws Exception {
        // Up to 4096 revocations would go to every peer the server lets in, however often it reconnects, and
        // would tell a stranger which members were revoked: they go to members only.
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        ownerStage.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW));
        Net.Endpoint stranger = net.endpoint(mallory.peerId());
        stranger.start(TransportListener.NONE);
        net.drain();
        ownerStage.revoke(Revocation.ofMember(owner, "jam", bob.peerId(), NOW));
        net.drain();
        List<byte[]> toStranger = net.get(owner.peerId()).sent;
        assertEquals(1, toStranger.size(), "only the owner's hello");
        assertEquals(MembershipFrames.HELLO, toStranger.get(0)[1]);
    }

    @Test
    void aRevokedMemberCutOffBeforeTheGossipLeftStillHearsOfItsRevocation() throws Exception {
        // The owner revokes carol on its own thread; the inner transport's thread cuts her off (on her next frame)
        // before this stage's listener gossips. She must still be told, or she never learns to leave.
        ClosedRoom ownersRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        ownersRoom.addRevocationListener(revocation -> {
            net.inject(carol.peerId(), owner.peerId(), data("carol plays on"));
            net.drain();
        });
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage =
                MembershipTransport.wrap(net.endpoint(owner.peerId()), ownersRoom, owner.peerId(), InviteChain.empty());
        ownerStage.start(atOwner);
        MembershipTransport carolStage = stage(carol, invite(carol, Duration.ofHours(1)), new Recorder());
        net.drain();
        assertEquals(Set.of(carol.peerId()), atOwner.connected);

        assertTrue(ownerStage.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW)));
        net.drain();
        assertTrue(carolStage.room().isRevoked(carol.peerId()), "carol was told of her revocation");
        assertTrue(carolStage.members().isEmpty(), carolStage.members().toString());
    }

    @Test
    void aPeerLeavesWhenItsOwnInviteIsRevokedOrExpiresNotOnlyWhenItIsRevoked() throws Exception {
        Recorder atBob = new Recorder();
        Recorder atCarol = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), new Recorder());
        InviteChain bobs = invite(bob, Duration.ofHours(1));
        MembershipTransport bobStage = stage(bob, bobs, atBob);
        MembershipTransport carolStage = stage(carol, invite(carol, Duration.ofMinutes(10)), atCarol);
        net.drain();
        assertEquals(Set.of(owner.peerId(), carol.peerId()), atBob.connected);

        // The owner withdraws bob's invite (not bob himself): every member drops him, and he must know it.
        ownerStage.revoke(Revocation.ofInvite(owner, "jam", bobs.invites().get(0), NOW));
        net.drain();
        assertEquals(Set.of(), bobStage.members());
        assertEquals(Set.of(), atBob.connected);
        TransportException left = atBob.errors.get(atBob.errors.size() - 1);
        assertEquals(bob.peerId(), left.peer().orElseThrow());
        assertTrue(left.getMessage().contains("[REVOKED]") || left.getMessage().contains("revoked"), left.getMessage());
        assertFalse(bobStage.send(owner.peerId(), data("still here?")));

        // Carol's own invite expires: she leaves too, on the next traffic of her transport.
        clock.advance(Duration.ofMinutes(13));
        ownerStage.send(carol.peerId(), data("anyone?"));
        net.inject(owner.peerId(), carol.peerId(), data("tick"));
        net.drain();
        assertEquals(Set.of(), carolStage.members());
        assertTrue(
                atCarol.errors.stream()
                        .anyMatch(e -> e.peer().orElseThrow().equals(carol.peerId())
                                && e.getMessage().contains("expired")),
                atCarol.errors.toString());
        assertFalse(carolStage.send(owner.peerId(), data("late")));
    }

    @Test
    void aNewcomerLearnsTheRevocationsOnConnectAndARevokedPeerCannotJoin() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        ownerStage.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW));
        Recorder atBob = new Recorder();
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        net.drain();
        assertTrue(bobStage.room().isRevoked(carol.peerId()));
        // Carol's own stage still believes its invite (it never heard of the revocation) and presents it.
        Recorder atCarol = new Recorder();
        stage(carol, invite(carol, Duration.ofHours(1)), atCarol);
        net.drain();
        assertEquals(Set.of(owner.peerId()), atBob.connected);
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
        assertTrue(atBob.errors.get(0).getMessage().contains("[REVOKED]"), atBob.errors.toString());
    }

    @Test
    void anExpiredInviteCutsTheMemberOffAtItsNextFrame() throws Exception {
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofMinutes(10)), new Recorder());
        net.drain();
        assertTrue(bobStage.send(owner.peerId(), data("in time")));
        net.drain();
        clock.advance(Duration.ofMinutes(13));
        bobStage.send(owner.peerId(), data("too late"));
        net.drain();
        assertEquals(List.of(text(bob.peerId(), "in time")), atOwner.messages);
        assertEquals(Set.of(), atOwner.connected);
        assertTrue(atOwner.disconnects.get(0).contains("its invite expired"), atOwner.disconnects.toString());
        assertFalse(ownerStage.send(bob.peerId(), data("gone")));
        assertEquals(1, atOwner.errors.size());
    }

    @Test
    void aQuietMembersExpiryIsNoticedOnAnotherPeersTraffic() throws Exception {
        Recorder atOwner = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        stage(bob, invite(bob, Duration.ofMinutes(10)), new Recorder());
        MembershipTransport carolStage = stage(carol, invite(carol, Duration.ofHours(1)), new Recorder());
        net.drain();
        assertEquals(Set.of(bob.peerId(), carol.peerId()), atOwner.connected);
        clock.advance(Duration.ofMinutes(13));
        carolStage.send(owner.peerId(), data("carol plays"));
        net.drain();
        assertEquals(Set.of(carol.peerId()), atOwner.connected, "bob said nothing, yet his expiry was noticed");
        assertEquals(List.of(text(carol.peerId(), "carol plays")), atOwner.messages);
    }

    @Test
    void aPeerWhoseOwnInviteIsInvalidCannotWrapAndTheLayerAboveCannotForgeMembershipFrames() throws Exception {
        ClosedRoom room = ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MembershipTransport.wrap(net.endpoint(bob.peerId()), room, bob.peerId(), InviteChain.empty()));
        assertTrue(
                e.getMessage().contains("NO_INVITE") || e.getMessage().contains("presented no invite"), e.getMessage());
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), new Recorder());
        net.drain();
        assertFalse(
                bobStage.send(owner.peerId(), revocationFrame(Revocation.ofMember(owner, "jam", carol.peerId(), NOW))));
        assertTrue(ownerStage.members().contains(bob.peerId()));
    }

    @Test
    void aStrangerReplayingABearerChainItObservedIsRefused() throws Exception {
        // Bob holds a bearer invite (what the piano writes). The server lets a stranger into the room, so the
        // stranger sees what bob presents; it replays that to the owner as its own, in every way it can.
        Recorder atOwner = new Recorder();
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), atOwner);
        HeldInvite bobs = bearerInvite();
        MembershipTransport bobStage = stage(bob, bobs, new Recorder());
        net.drain();
        assertEquals(Set.of(bob.peerId()), atOwner.connected, "bob, proving his key, is a member");
        List<byte[]> observed = net.get(bob.peerId()).sent.stream()
                .filter(f -> f[0] == MembershipTransport.FRAME_MARKER && f[1] == MembershipFrames.PRESENT)
                .toList();
        assertFalse(observed.isEmpty(), "bob presented his chain with its proof");
        InviteChain copied = InviteChain.decode(MembershipFrames.presentChain(observed.get(0)));
        byte[] bobsProof = MembershipFrames.presentProof(observed.get(0));
        byte[] forgedProof = mallory.sign(new byte[] {1, 2, 3});
        List<byte[]> attempts = List.of(
                observed.get(0), // bob's frame as it was: its proof names bob and the owner's nonce to bob
                present(copied.encode()), // the chain without a proof
                presentWithProof(forgedProof, copied.encode()), // a proof by another key
                presentWithProof(java.util.Arrays.copyOf(bobsProof, 63), copied.encode()), // a cut proof
                legacyPresent(copied.encode())); // the frame of the version before proofs
        int errorsBefore = atOwner.errors.size();
        for (int i = 0; i < attempts.size(); i++) {
            Net.Endpoint stranger = net.endpoint(mallory.peerId());
            stranger.start(TransportListener.NONE);
            net.drain();
            net.inject(mallory.peerId(), owner.peerId(), attempts.get(i));
            net.inject(mallory.peerId(), owner.peerId(), data("let me in"));
            net.drain();
            TransportException error = atOwner.errors.get(atOwner.errors.size() - 1);
            assertEquals(errorsBefore + i + 1, atOwner.errors.size(), "one error per attempt");
            assertEquals(mallory.peerId(), error.peer().orElseThrow());
            assertTrue(error.getMessage().contains("[NO_PROOF]"), i + ": " + error.getMessage());
        }
        assertEquals(Set.of(bob.peerId()), atOwner.connected, "the stranger is not a member");
        assertEquals(List.of(), atOwner.messages);
        assertTrue(ownerStage.send(bob.peerId(), data("bob still plays")));
        assertTrue(bobStage.members().contains(owner.peerId()));
    }

    @Test
    void aBearerInviteWithoutItsKeyCannotBeUsedAndTwoHoldersOfTheFileMeet() throws Exception {
        HeldInvite file = bearerInvite();
        ClosedRoom room = ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        IllegalArgumentException withoutKey = assertThrows(
                IllegalArgumentException.class,
                () -> MembershipTransport.wrap(net.endpoint(mallory.peerId()), room, mallory.peerId(), file.chain()));
        assertTrue(withoutKey.getMessage().contains("holder key"), withoutKey.getMessage());
        // Bob and carol were both given the file: each proves the key to the other and to the owner.
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        stage(bob, HeldInvite.parse(file.toText()), atBob);
        stage(carol, HeldInvite.parse(file.toText()), new Recorder());
        net.drain();
        assertEquals(Set.of(bob.peerId(), carol.peerId()), atOwner.connected);
        assertEquals(Set.of(owner.peerId(), carol.peerId()), atBob.connected);
        assertEquals(List.of(), atOwner.errors);
    }

    @Test
    void anIdleMemberIsCutOffWhenItsInviteExpiresWithNoTrafficAtAll() throws Exception {
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofMinutes(10)), atBob);
        stage(carol, invite(carol, Duration.ofHours(1)), new Recorder());
        net.drain();
        assertEquals(Set.of(bob.peerId(), carol.peerId()), atOwner.connected);
        // Just before expiry plus the allowed skew nothing happens; at it, both sides act with nobody sending.
        timer.advance(Duration.ofMinutes(12).minusSeconds(1));
        assertEquals(Set.of(bob.peerId(), carol.peerId()), atOwner.connected);
        timer.advance(Duration.ofSeconds(1));
        assertEquals(Set.of(carol.peerId()), atOwner.connected, "cut off at expiry, not at the next traffic");
        assertTrue(atOwner.disconnects.get(0).contains("its invite expired"), atOwner.disconnects.toString());
        assertEquals(bob.peerId(), atOwner.errors.get(0).peer().orElseThrow());
        assertEquals(Set.of(), bobStage.members(), "bob left by himself");
        assertTrue(atBob.errors.stream().anyMatch(e -> e.getMessage().contains("expired")), atBob.errors.toString());
        assertEquals(
                List.of(),
                net.get(owner.peerId()).sent.stream()
                        .filter(f -> f[0] != MembershipTransport.FRAME_MARKER)
                        .toList(),
                "no traffic was needed");
    }

    @Test
    void theExpiryTimerOfAMemberWhoLeftFirstIsCalledOff() throws Exception {
        Recorder atOwner = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        stage(bob, invite(bob, Duration.ofMinutes(10)), new Recorder());
        net.drain();
        net.get(owner.peerId()).disconnect(bob.peerId());
        net.drain();
        timer.advance(Duration.ofMinutes(30));
        assertEquals(List.of(), atOwner.errors, "no expiry reported for a peer already gone");
    }

    @Test
    void anInviteValidForCenturiesIsAdmittedAndItsTimerStillFiresOnTime() throws Exception {
        // Invites may run to the year 9999; a timer's delay in nanoseconds overflows after 292 years.
        Recorder atOwner = new Recorder();
        Recorder atBob = new Recorder();
        stage(owner, InviteChain.empty(), atOwner);
        Duration centuries = Duration.between(NOW, Instant.parse("2900-01-01T00:00:00Z"));
        MembershipTransport bobStage = stage(bob, invite(bob, centuries), atBob);
        net.drain();
        assertEquals(Set.of(bob.peerId()), atOwner.connected, atOwner.errors.toString());
        assertEquals(Set.of(owner.peerId()), atBob.connected, atBob.errors.toString());
        // The timers wait in steps no longer than a day, each looking again at the room's clock.
        timer.advance(Duration.ofDays(3));
        assertEquals(Set.of(bob.peerId()), atOwner.connected);
        assertTrue(timer.pending() <= 2, "one timer per admission, not one per step: " + timer.pending());
        assertTrue(bobStage.send(owner.peerId(), data("still here")));
        assertEquals(List.of(), atOwner.errors);
    }

    @Test
    void aPeerThatLeavesTheRoomLeavesNoTimerBehind() throws Exception {
        // Each stage on its own timer, so that what carol's stage leaves behind is counted alone.
        ManualTimer carolsTimer = new ManualTimer(new MutableClock(NOW));
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), new Recorder());
        stage(bob, invite(bob, Duration.ofHours(1)), new Recorder());
        InviteChain carols = invite(carol, Duration.ofHours(1));
        Recorder atCarol = new Recorder();
        ClosedRoom carolsRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        MembershipTransport carolStage = MembershipTransport.wrap(
                net.endpoint(carol.peerId()), carolsRoom, carol.peerId(), HeldInvite.of(carols), carolsTimer);
        carolStage.start(atCarol);
        net.drain();
        assertEquals(Set.of(owner.peerId(), bob.peerId()), atCarol.connected);
        assertEquals(2, carolsTimer.pending(), "bob's expiry and carol's own");

        ownerStage.revoke(Revocation.ofInvite(owner, "jam", carols.invites().get(0), NOW));
        net.drain();
        assertEquals(Set.of(), atCarol.connected);
        assertEquals(0, carolsTimer.pending(), "a peer out of the room waits for no member's expiry, nor its own");
    }

    @Test
    void aClosedStageSendsNothingMoreToItsMembers() throws Exception {
        MembershipTransport ownerStage = stage(owner, InviteChain.empty(), new Recorder());
        Recorder atBob = new Recorder();
        stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        net.drain();
        assertEquals(Set.of(bob.peerId()), ownerStage.members());
        ownerStage.close();
        assertFalse(ownerStage.send(bob.peerId(), data("after close")), "closed: no room checks run any more");
        net.drain();
        assertEquals(List.of(), atBob.messages);
        assertEquals(Set.of(), ownerStage.members());
    }

    @Test
    void aStageClosedWhileCallbacksAreInFlightAdmitsNobodyAndArmsNoTimer() throws Exception {
        ManualTimer ownersTimer = new ManualTimer(new MutableClock(NOW));
        Recorder atOwner = new Recorder();
        ClosedRoom ownersRoom =
                ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        MembershipTransport ownerStage = MembershipTransport.wrap(
                net.endpoint(owner.peerId()), ownersRoom, owner.peerId(), HeldInvite.owner(), ownersTimer);
        ownerStage.start(atOwner);
        stage(bob, invite(bob, Duration.ofHours(1)), new Recorder());
        // Closed before the transport below has delivered what it already queued (a real one may still call back).
        ownerStage.close();
        net.drain();
        assertEquals(Set.of(), ownerStage.members(), "nobody admitted after close");
        assertEquals(0, ownersTimer.pending(), "no expiry timer armed after close, to hold the stage for an hour");
        assertEquals(Set.of(), atOwner.connected);
    }

    @Test
    void theOwnerCannotRevokeItself() throws Exception {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Revocation.ofMember(owner, "jam", owner.peerId(), NOW));
        assertTrue(e.getMessage().contains("cannot revoke itself"), e.getMessage());
        // One made by hand (bytes of the owner's key as the target) is refused by every peer, and gossips nowhere.
        Recorder atBob = new Recorder();
        stage(owner, InviteChain.empty(), new Recorder());
        MembershipTransport bobStage = stage(bob, invite(bob, Duration.ofHours(1)), atBob);
        net.drain();
        Revocation ofOwner = revocationOfOwner();
        InviteException refused = assertThrows(InviteException.class, () -> bobStage.revoke(ofOwner));
        assertEquals(InviteException.Problem.OWNER_NOT_REVOCABLE, refused.problem());
        assertTrue(refused.getMessage().contains("cannot be revoked"), refused.getMessage());
        net.inject(owner.peerId(), bob.peerId(), revocationFrame(ofOwner));
        net.drain();
        assertTrue(atBob.errors.get(0).getMessage().contains("[OWNER_NOT_REVOCABLE]"), atBob.errors.toString());
        assertEquals(Set.of(owner.peerId()), atBob.connected, "the room goes on");
    }

    /** A revocation of the owner signed by the owner, as a hostile or buggy tool would make it. */
    private Revocation revocationOfOwner() throws InviteException {
        byte[] genuine = Revocation.ofMember(owner, "jam", carol.peerId(), NOW).encode();
        byte[] body = java.util.Arrays.copyOf(genuine, genuine.length - 64);
        byte[] ownerKey = owner.peerId().publicKey();
        int at = body.length - 8 - 32;
        System.arraycopy(ownerKey, 0, body, at, 32);
        byte[] signature = owner.sign(Wire.concat(Revocation.SIGNATURE_LABEL, body));
        return Revocation.decode(Wire.concat(body, signature));
    }

    private static byte[] present(byte[] chain) {
        return presentWithProof(new byte[0], chain);
    }

    private static byte[] presentWithProof(byte[] proof, byte[] chain) {
        byte[] frame = new byte[3 + proof.length + chain.length];
        frame[0] = MembershipTransport.FRAME_MARKER;
        frame[1] = MembershipFrames.PRESENT;
        frame[2] = (byte) proof.length;
        System.arraycopy(proof, 0, frame, 3, proof.length);
        System.arraycopy(chain, 0, frame, 3 + proof.length, chain.length);
        return frame;
    }

    private static byte[] legacyPresent(byte[] chain) {
        byte[] frame = new byte[2 + chain.length];
        frame[0] = MembershipTransport.FRAME_MARKER;
        frame[1] = MembershipFrames.LEGACY_PRESENT;
        System.arraycopy(chain, 0, frame, 2, chain.length);
        return frame;
    }

    private static byte[] revocationFrame(Revocation revocation) {
        return MembershipFrames.revocation(revocation);
    }
}
