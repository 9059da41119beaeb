package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.Invite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.Revocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real signaling server on 127.0.0.1 learns a closed room's revocations from its members ({@code revoke}):
 * a new one removes the members it shuts out, and a replay, a forgery, another room's, a malformed one, one
 * from a stranger and one for an open room remove nobody, each with its answer.
 */
class RevocationsPassedOnTest {

    private static final String ROOM = "jam";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerFixture fixture = new ServerFixture();
    private final PeerIdentity owner = PeerIdentity.generate();
    private final PeerIdentity bob = PeerIdentity.generate();
    private final PeerIdentity carol = PeerIdentity.generate();
    private final PeerIdentity dave = PeerIdentity.generate();
    private final Instant now = Instant.now();

    @TempDir
    Path revocationDir;

    private SignalingServer server;
    private TestClient ownerClient;
    private TestClient bobClient;
    private TestClient carolClient;
    private TestClient daveClient;
    private InviteChain bobsInvite;
    private HeldInvite bearerFile;

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    /**
     * The owner, bob and carol (invited by did:key) and dave (holding a bearer invite, whose join token is
     * bound to his connection's nonce) in the closed room {@value #ROOM}.
     */
    private void startRoom(UnaryOperator<SignalingServerConfig.Builder> settings) throws Exception {
        InviteJoinAuthorizer authorizer =
                InviteJoinAuthorizer.parse(ROOM + "=" + owner.peerId(), Clock.systemUTC(), revocationDir);
        server = fixture.start(b -> settings.apply(b.joinAuthorizer(authorizer)));
        ownerClient = fixture.track(TestClient.verified(server.uri(), owner));
        bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        carolClient = fixture.track(TestClient.verified(server.uri(), carol));
        daveClient = fixture.track(TestClient.verified(server.uri(), dave));
        ownerClient.join(ROOM);
        bobsInvite = InviteChain.parse(inviteFor(bob));
        enter(bobClient, bobsInvite.toText(), ownerClient);
        enter(carolClient, inviteFor(carol), ownerClient, bobClient);
        bearerFile = HeldInvite.issueBearer(owner, ROOM, false, now, now.plus(Duration.ofHours(1)));
        enter(daveClient, bearerFile.joinToken(dave.peerId(), daveClient.nonce), ownerClient, bobClient, carolClient);
    }

    private String inviteFor(PeerIdentity who) {
        return InviteChain.of(Invite.issue(owner, ROOM, who.peerId(), false, now, now.plus(Duration.ofHours(1))))
                .toText();
    }

    private static void enter(TestClient client, String token, TestClient... present) throws InterruptedException {
        client.send(new ClientMessage.Join(ROOM, token));
        client.expect(ServerMessage.Joined.class);
        for (TestClient member : present) {
            assertEquals(
                    new ServerMessage.PeerJoined(ROOM, client.identity.peerId()),
                    member.expect(ServerMessage.PeerJoined.class));
        }
    }

    /**
     * Asserts that {@code client} got nothing more so far: the answer to a message sent now is the next frame
     * it receives (the server handles one connection's messages, and the room events before them, in order).
     */
    private static void assertNothingMoreFor(TestClient client) throws InterruptedException {
        client.send(new ClientMessage.Leave("nowhere"));
        assertTrue(client.expectError(ErrorCode.NOT_IN_ROOM).contains("'nowhere'"));
    }

    private static void revoke(TestClient client, String room, String revocation) {
        client.send(new ClientMessage.Revoke(room, revocation));
    }

    @Test
    void aMemberPassingOnTheOwnersRevocationGetsTheRevokedMemberRemoved() throws Exception {
        startRoom(UnaryOperator.identity());
        String kick = Revocation.ofMember(owner, ROOM, carol.peerId(), now).toText();

        revoke(bobClient, ROOM, kick);

        ServerMessage.Error removed = carolClient.expect(ServerMessage.Error.class);
        assertEquals(ErrorCode.UNAUTHORIZED.code(), removed.code());
        assertEquals(Optional.of(ROOM), removed.room());
        assertEquals(Optional.of(carol.peerId()), removed.peerId(), "the error names the removed peer itself");
        assertTrue(
                removed.message()
                                .startsWith("room 'jam': the server removed you from the room: room 'jam' is closed"
                                        + " and the invite was refused: ")
                        && removed.message().endsWith("(REVOKED)"),
                removed.message());
        for (TestClient member : List.of(ownerClient, bobClient, daveClient)) {
            assertEquals(new ServerMessage.PeerLeft(ROOM, carol.peerId()), member.expect(ServerMessage.PeerLeft.class));
        }
        // Bob got no answer but the peer-left; the bearer member dave, checked again with his join's token
        // and nonce, stays.
        assertNothingMoreFor(bobClient);
        // Carol is out: her traffic is not relayed, and her join is refused; her connection stays open.
        carolClient.send(new ClientMessage.Signal(ROOM, bob.peerId(), JSON.createObjectNode()));
        carolClient.expectError(ErrorCode.NOT_IN_ROOM);
        carolClient.send(new ClientMessage.Join(ROOM, inviteFor(carol)));
        assertTrue(carolClient.expectError(ErrorCode.UNAUTHORIZED).endsWith("(REVOKED)"));
        carolClient.assertOpen();

        // Passing it on again (a replay, or another member who learned it by gossip) changes nothing.
        revoke(daveClient, ROOM, kick);
        revoke(ownerClient, ROOM, kick);
        assertNothingMoreFor(daveClient);
        assertNothingMoreFor(ownerClient);
        assertNothingMoreFor(bobClient);
        TestClient eve = fixture.verified(server);
        eve.send(new ClientMessage.Join(ROOM, inviteFor(eve.identity)));
        assertEquals(
                Set.of(owner.peerId(), bob.peerId(), dave.peerId()),
                Set.copyOf(eve.expect(ServerMessage.Joined.class).peers()));

        assertEquals(List.of(kick), Files.readAllLines(revocationDir.resolve("jam.revocations")));
        String metrics = ServerFixture.http(server, "/metrics");
        for (String expected : List.of(
                "ensemble_signaling_revocations_total{outcome=\"accepted\"} 1",
                "ensemble_signaling_revocations_total{outcome=\"known\"} 2",
                "ensemble_signaling_revocation_evictions_total 1",
                "ensemble_signaling_messages_received_total{type=\"revoke\"} 3")) {
            assertTrue(metrics.contains(expected + "\n"), () -> "missing '" + expected + "' in\n" + metrics);
        }
    }

    @Test
    void revokingAnInviteRemovesWhoJoinedOnItAndNobodyElse() throws Exception {
        startRoom(UnaryOperator.identity());
        revoke(
                carolClient,
                ROOM,
                Revocation.ofInvite(owner, ROOM, bobsInvite.invites().get(0), now)
                        .toText());
        assertTrue(bobClient.expectError(ErrorCode.UNAUTHORIZED).endsWith("was revoked by the room's owner (REVOKED)"));
        for (TestClient member : List.of(ownerClient, carolClient, daveClient)) {
            assertEquals(new ServerMessage.PeerLeft(ROOM, bob.peerId()), member.expect(ServerMessage.PeerLeft.class));
        }
        // The bearer invite's holder is checked again with the token and nonce of his join: only its revocation
        // removes him.
        revoke(
                carolClient,
                ROOM,
                Revocation.ofInvite(owner, ROOM, bearerFile.chain().invites().get(0), now)
                        .toText());
        assertTrue(daveClient.expectError(ErrorCode.UNAUTHORIZED).endsWith("(REVOKED)"));
        for (TestClient member : List.of(ownerClient, carolClient)) {
            assertEquals(new ServerMessage.PeerLeft(ROOM, dave.peerId()), member.expect(ServerMessage.PeerLeft.class));
        }
        assertNothingMoreFor(carolClient);
        assertNothingMoreFor(ownerClient);
        assertTrue(
                ServerFixture.http(server, "/metrics").contains("ensemble_signaling_revocation_evictions_total 2\n"));
    }

    @Test
    void revocationsTheRoomRefusesOrDoesNotKeepRemoveNobody() throws Exception {
        startRoom(UnaryOperator.identity());
        String kickCarol = Revocation.ofMember(owner, ROOM, carol.peerId(), now).toText();

        // Not by the owner.
        revoke(
                bobClient,
                ROOM,
                Revocation.ofMember(bob, ROOM, carol.peerId(), now).toText());
        ServerMessage.Error notOwners = bobClient.expect(ServerMessage.Error.class);
        assertEquals(ErrorCode.UNAUTHORIZED.code(), notOwners.code());
        assertEquals(Optional.of(ROOM), notOwners.room());
        assertEquals(Optional.empty(), notOwners.peerId(), "a refused revoke names no peer: nobody was removed");
        assertTrue(notOwners.message().startsWith("revoke: room 'jam' refused the revocation: revocation "));
        assertTrue(notOwners
                .message()
                .endsWith("only the room's owner " + owner.peerId() + " may revoke" + " (NOT_FROM_OWNER)"));
        // The owner's, but for another room.
        revoke(
                bobClient,
                ROOM,
                Revocation.ofMember(owner, "other", carol.peerId(), now).toText());
        assertTrue(bobClient
                .expectError(ErrorCode.UNAUTHORIZED)
                .endsWith("is for room 'other', not for 'jam' (WRONG_ROOM)"));
        // Not a revocation: a cut one, and one whose signature was altered.
        revoke(bobClient, ROOM, kickCarol.substring(0, 60));
        String cut = bobClient.expectError(ErrorCode.BAD_REQUEST);
        assertTrue(
                cut.startsWith("revoke: field \"revocation\" is not a revocation: ") && cut.endsWith("(MALFORMED)"),
                cut);
        String altered = kickCarol.substring(0, kickCarol.length() - 2) + (kickCarol.endsWith("AA") ? "BA" : "AA");
        revoke(bobClient, ROOM, altered);
        assertTrue(bobClient.expectError(ErrorCode.UNAUTHORIZED).endsWith("(FORGED)"));
        // The owner's and valid, but from a connection that is not in the room.
        TestClient stranger = fixture.verified(server);
        revoke(stranger, ROOM, kickCarol);
        ServerMessage.Error notIn = stranger.expect(ServerMessage.Error.class);
        assertEquals(ErrorCode.NOT_IN_ROOM.code(), notIn.code());
        assertEquals("revoke: you are not in room 'jam'; only its members pass on its revocations", notIn.message());
        // For an open room, where the server keeps no revocations: no answer at all.
        bobClient.join("lobby");
        carolClient.join("lobby");
        bobClient.expect(ServerMessage.PeerJoined.class);
        revoke(
                bobClient,
                "lobby",
                Revocation.ofMember(owner, "lobby", carol.peerId(), now).toText());
        assertNothingMoreFor(bobClient);

        // Nobody was removed: carol is still in both rooms, and every member heard nothing.
        for (String room : List.of(ROOM, "lobby")) {
            bobClient.send(new ClientMessage.Signal(room, carol.peerId(), JSON.createObjectNode()));
            assertEquals(
                    room, carolClient.expect(ServerMessage.RelayedSignal.class).room());
        }
        for (TestClient member : List.of(ownerClient, carolClient, daveClient)) {
            assertNothingMoreFor(member);
        }
        assertTrue(Files.notExists(revocationDir.resolve("jam.revocations")), "nothing was appended");
        String metrics = ServerFixture.http(server, "/metrics");
        for (String expected : List.of(
                "ensemble_signaling_revocations_total{outcome=\"refused\"} 3",
                "ensemble_signaling_revocations_total{outcome=\"malformed\"} 1",
                "ensemble_signaling_revocations_total{outcome=\"ignored\"} 1",
                "ensemble_signaling_revocation_evictions_total 0")) {
            assertTrue(metrics.contains(expected + "\n"), () -> "missing '" + expected + "' in\n" + metrics);
        }
        assertTrue(!metrics.contains("outcome=\"accepted\""), metrics);
    }

    @Test
    void aRevokeCostsTheSignalRateLimit() throws Exception {
        startRoom(b -> b.signalRate(new RateLimit(1, 1)).controlRate(new RateLimit(1000, 1000)));
        revoke(
                bobClient,
                ROOM,
                Revocation.ofMember(owner, ROOM, carol.peerId(), now).toText());
        assertEquals(new ServerMessage.PeerLeft(ROOM, carol.peerId()), bobClient.expect(ServerMessage.PeerLeft.class));
        bobClient.send(new ClientMessage.Signal(ROOM, owner.peerId(), JSON.createObjectNode()));
        assertTrue(bobClient.expectError(ErrorCode.RATE_LIMITED).startsWith("signal messages are limited to 1/s"));
    }
}
