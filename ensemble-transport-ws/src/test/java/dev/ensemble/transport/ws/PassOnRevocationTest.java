package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.server.InviteJoinAuthorizer;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.membership.ClosedRoom;
import dev.ensemble.transport.membership.Invite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.Revocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member's {@link WebSocketTransport#passOnRevocation} reaches a real signaling server on 127.0.0.1 that
 * checks the closed room's invites: the server removes the revoked peer, whose transport leaves the room and
 * is refused when it joins again, while a revocation the server refuses is reported to its sender only.
 */
class PassOnRevocationTest {
    private static final String ROOM = "jam";

    private final PeerIdentity owner = PeerIdentity.generate();
    private final PeerIdentity bob = PeerIdentity.generate();
    private final PeerIdentity carol = PeerIdentity.generate();
    private final Instant now = Instant.now();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TestServer server;

    private record Member(PeerIdentity identity, WebSocketTransport transport, RecordingListener events) {
        PeerId id() {
            return identity.peerId();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(
                b -> b.joinAuthorizer(InviteJoinAuthorizer.parse(ROOM + "=" + owner.peerId(), Clock.systemUTC())));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : closeables) {
            each.close();
        }
        server.close();
    }

    private Member member(PeerIdentity identity) {
        String invite = identity == owner
                ? null
                : InviteChain.of(
                                Invite.issue(owner, ROOM, identity.peerId(), false, now, now.plus(Duration.ofHours(1))))
                        .toText();
        WebSocketTransport transport = WebSocketTransport.create(
                server.config(ROOM, identity).joinToken(invite).build());
        closeables.add(transport::close);
        RecordingListener events = new RecordingListener();
        transport.start(events);
        return new Member(identity, transport, events);
    }

    private List<Member> roomOfThree() {
        List<Member> members = List.of(member(owner), member(bob), member(carol));
        Await.until(
                "all three are in the room with each other",
                () -> members.stream()
                        .allMatch(m -> members.stream().allMatch(o -> o == m || m.events.isConnectedTo(o.id()))));
        return members;
    }

    private static boolean hasError(Member member, Reason reason, Predicate<String> message) {
        return member.events.errors().stream().anyMatch(e -> e.reason() == reason && message.test(e.getMessage()));
    }

    @Test
    void aRevocationPassedOnRemovesTheRevokedPeersTransportFromTheRoom() throws Exception {
        List<Member> members = roomOfThree();
        Member host = members.get(0);
        Member bobs = members.get(1);
        Member carols = members.get(2);
        // Bob's view of the closed room hands every new revocation to his relay, as an application wires it.
        ClosedRoom bobsRoom = ClosedRoom.builder(ROOM, owner.peerId()).build();
        bobsRoom.addRevocationListener(bobs.transport::passOnRevocation);

        assertTrue(bobsRoom.revoke(Revocation.ofMember(owner, ROOM, carol.peerId(), now)));

        Await.until(
                "carol's transport is told it was removed and leaves the room",
                () -> !carols.transport.isInRoom()
                        && hasError(
                                carols,
                                Reason.UNAUTHORIZED,
                                m -> m.contains("the signaling server removed this peer from room jam")
                                        && m.endsWith("(REVOKED)")),
                carols.events::errors);
        Await.until(
                "carol's members are gone, and she is gone for the others",
                () -> carols.events.connectedPeers().isEmpty()
                        && !host.events.isConnectedTo(carol.peerId())
                        && !bobs.events.isConnectedTo(carol.peerId()));
        // Her transport tries again, and the server refuses her join while the revocation holds.
        Await.until(
                "carol's join is refused",
                () -> hasError(carols, Reason.UNAUTHORIZED, m -> m.contains("join: not allowed into room 'jam'")),
                carols.events::errors);
        assertFalse(carols.transport.isInRoom());
        assertTrue(host.events.isConnectedTo(bob.peerId()) && bobs.events.isConnectedTo(owner.peerId()));
        assertTrue(bobs.transport.isInRoom());
    }

    @Test
    void aRevocationTheServerRefusesIsReportedToItsSenderAndRemovesNobody() {
        List<Member> members = roomOfThree();
        Member bobs = members.get(1);
        Member carols = members.get(2);

        assertTrue(bobs.transport.passOnRevocation(Revocation.ofMember(bob, ROOM, carol.peerId(), now)));

        Await.until(
                "the server's refusal reaches bob",
                () -> hasError(
                        bobs,
                        Reason.UNAUTHORIZED,
                        m -> m.contains("refused the revocation") && m.endsWith("(NOT_FROM_OWNER)")),
                bobs.events::errors);
        TransportException refusal = bobs.events.errors().get(0);
        assertEquals(java.util.Optional.of(ROOM), refusal.room());
        assertTrue(bobs.transport.isInRoom());
        assertTrue(carols.transport.isInRoom());
        assertTrue(bobs.events.isConnectedTo(carol.peerId()));
        assertTrue(carols.events.errors().isEmpty(), () -> "carol heard: " + carols.events.errors());
    }

    @Test
    void onlyRevocationsOfItsOwnRoomArePassedOnAndOnlyFromTheRoom() {
        Revocation kick = Revocation.ofMember(owner, ROOM, carol.peerId(), now);
        WebSocketTransport notStarted = server.transport(ROOM, bob);
        closeables.add(notStarted::close);
        assertFalse(notStarted.passOnRevocation(kick), "not in the room yet: nothing to send it on");
        Member bobs = member(bob);
        IllegalArgumentException otherRoom = assertThrows(
                IllegalArgumentException.class,
                () -> bobs.transport.passOnRevocation(Revocation.ofMember(owner, "other", carol.peerId(), now)));
        assertTrue(
                otherRoom
                        .getMessage()
                        .endsWith("is for room 'other', but this transport is in room 'jam'; pass it"
                                + " on through a transport of its room"),
                otherRoom.getMessage());
        Await.until("bob is in the room", bobs.transport::isInRoom);
        bobs.transport.close();
        assertFalse(bobs.transport.passOnRevocation(kick), "closed");
    }
}
