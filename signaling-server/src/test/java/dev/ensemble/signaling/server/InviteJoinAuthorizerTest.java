package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.Invite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.Revocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real signaling server on 127.0.0.1 keeps strangers out of a closed room at the join: each bad invite
 * is refused with its reason, valid ones and the owner get in, and open rooms are untouched.
 */
class InviteJoinAuthorizerTest {

    private final ServerFixture fixture = new ServerFixture();
    private final PeerIdentity owner = PeerIdentity.generate();
    private final PeerIdentity bob = PeerIdentity.generate();
    private final PeerIdentity carol = PeerIdentity.generate();
    private final Instant now = Instant.now();

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    private InviteJoinAuthorizer authorizer() {
        return InviteJoinAuthorizer.parse("jam=" + owner.peerId(), Clock.systemUTC());
    }

    private String inviteFor(PeerIdentity who, boolean mayDelegate) {
        return InviteChain.of(Invite.issue(owner, "jam", who.peerId(), mayDelegate, now, now.plus(Duration.ofHours(1))))
                .toText();
    }

    private String refusal(TestClient client, String token) throws InterruptedException {
        client.send(new ClientMessage.Join("jam", token));
        return client.expectError(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void strangersAndBadInvitesAreRefusedAtTheJoinWithTheirReason() throws Exception {
        InviteJoinAuthorizer authorizer = authorizer();
        SignalingServer server = fixture.start(b -> b.joinAuthorizer(authorizer));
        TestClient ownerClient = fixture.track(TestClient.verified(server.uri(), owner));
        TestClient bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        TestClient stranger = fixture.verified(server);

        assertEquals(
                "join: not allowed into room 'jam': room 'jam' is closed: join with an invite from its owner "
                        + owner.peerId() + " or one of its members (NO_INVITE)",
                refusal(stranger, null));
        assertTrue(refusal(stranger, "hello").contains("(MALFORMED)"));
        assertTrue(refusal(stranger, "ensemble-invite:AQMBAEA").contains("(MALFORMED)"));
        assertTrue(refusal(stranger, inviteFor(bob, false)).contains("not to " + stranger.identity.peerId()));
        String forged = InviteChain.of(Invite.issue(
                        stranger.identity, "jam", stranger.identity.peerId(), false, now, now.plusSeconds(60)))
                .toText();
        assertTrue(refusal(stranger, forged).contains("(NOT_FROM_OWNER)"));
        String otherRoom = InviteChain.of(
                        Invite.issue(owner, "other", stranger.identity.peerId(), false, now, now.plusSeconds(60)))
                .toText();
        assertTrue(refusal(stranger, otherRoom).contains("(WRONG_ROOM)"));
        String expired = InviteChain.of(Invite.issue(
                        owner,
                        "jam",
                        stranger.identity.peerId(),
                        false,
                        now.minusSeconds(7200),
                        now.minusSeconds(3600)))
                .toText();
        assertTrue(refusal(stranger, expired).contains("(EXPIRED)"));
        String delegatedWithoutRight = InviteChain.parse(inviteFor(bob, false))
                .delegate(bob, stranger.identity.peerId(), false, now, now.plusSeconds(60))
                .toText();
        assertTrue(refusal(stranger, delegatedWithoutRight).contains("(DELEGATION_NOT_ALLOWED)"));
        String tooLong = "ensemble-invite:" + "A".repeat(3000);
        assertTrue(refusal(stranger, tooLong).contains("(TOO_LARGE)"));

        assertEquals(List.of(), ownerClient.join("jam").peers());
        ServerMessage.Joined bobJoined = joinWith(bobClient, inviteFor(bob, true));
        assertEquals(List.of(owner.peerId()), bobJoined.peers());
        // A member bob was allowed to invite gets in on bob's delegation.
        TestClient carolClient = fixture.track(TestClient.verified(server.uri(), carol));
        String carols = InviteChain.parse(inviteFor(bob, true))
                .delegate(bob, carol.peerId(), false, now, now.plusSeconds(600))
                .toText();
        assertEquals(2, joinWith(carolClient, carols).peers().size());
        // The stranger's attempts did not disturb anyone, and open rooms are open.
        stranger.join("lobby");
    }

    @Test
    void aStrangerReplayingABearerInviteSeenInAJoinIsRefused() throws Exception {
        InviteJoinAuthorizer authorizer = authorizer();
        SignalingServer server = fixture.start(b -> b.joinAuthorizer(authorizer));
        HeldInvite file = HeldInvite.issueBearer(owner, "jam", false, now, now.plus(Duration.ofHours(1)));
        TestClient bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        String bobsToken = file.joinToken(bob.peerId(), bobClient.nonce);
        joinWith(bobClient, bobsToken);
        // The token crossed the server (or a log of it): a stranger sends it again, on its own connection, and
        // sends the chain alone, and a proof it made with its own key.
        TestClient stranger = fixture.verified(server);
        String replayed = refusal(stranger, bobsToken);
        assertTrue(replayed.contains("(NO_PROOF)"), replayed);
        assertTrue(replayed.contains("does not verify with its holder key"), replayed);
        String chainOnly = refusal(stranger, file.chain().toText());
        assertTrue(
                chainOnly.contains("no proof of possession came with it") && chainOnly.endsWith("(NO_PROOF)"),
                chainOnly);
        String ownProof = file.chain().toText() + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(stranger.identity.sign(new byte[8]));
        assertTrue(refusal(stranger, ownProof).contains("(NO_PROOF)"));
        // A bearer invite of before holder keys is refused, saying so.
        String legacy = legacyBearerToken();
        String old = refusal(stranger, legacy);
        assertTrue(old.contains("(UNBOUND_BEARER)") && old.contains("ask the room's owner for a new invite"), old);
        // Whoever holds the whole file (chain and key) proves it on its own connection, and gets in.
        TestClient carolClient = fixture.track(TestClient.verified(server.uri(), carol));
        assertEquals(
                List.of(bob.peerId()),
                joinWith(carolClient, file.joinToken(carol.peerId(), carolClient.nonce))
                        .peers());
    }

    /** A bearer chain as written before holder keys (flag bit 0 alone, no key), from the invite vectors. */
    private String legacyBearerToken() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.isDirectory(dir.resolve("docs/vectors/invites"))) {
            dir = dir.getParent();
        }
        for (String line : java.nio.file.Files.readAllLines(dir.resolve("docs/vectors/invites/vectors.txt"))) {
            if (line.startsWith("value chain-legacy-bearer ")) {
                byte[] bytes = java.util.HexFormat.of().parseHex(line.split(" ")[2]);
                return "ensemble-invite:"
                        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
        }
        throw new AssertionError("vectors.txt has no chain-legacy-bearer");
    }

    @Test
    void aRevocationTheServerKnowsKeepsTheRevokedMemberOut() throws Exception {
        InviteJoinAuthorizer authorizer = authorizer();
        SignalingServer server = fixture.start(b -> b.joinAuthorizer(authorizer));
        TestClient bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        assertTrue(authorizer.revoke(Revocation.ofMember(owner, "jam", bob.peerId(), now)));
        assertFalse(authorizer.revoke(Revocation.ofMember(owner, "jam", bob.peerId(), now)), "a replay is not new");
        assertTrue(refusal(bobClient, inviteFor(bob, false)).contains("(REVOKED)"));
        assertThrows(
                dev.ensemble.transport.membership.InviteException.class,
                () -> authorizer.revoke(Revocation.ofMember(bob, "jam", owner.peerId(), now)));
    }

    @Test
    void aClosedRoomTakesTheInviteAsItsJoinTokenWhenJoinTokensAreRequired() throws Exception {
        String secret = "0123456789abcdef-secret";
        SignalingServer server = fixture.start(b -> b.joinTokenSecret(secret).joinAuthorizer(authorizer()));
        TestClient bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        joinWith(bobClient, inviteFor(bob, false));
        bobClient.send(new ClientMessage.Join("open", null));
        assertTrue(bobClient.expectError(ErrorCode.UNAUTHORIZED).contains("requires a join token"));
    }

    @Test
    void theCommandLineFormNamesWhatIsWrong() {
        IllegalArgumentException noOwner = assertThrows(
                IllegalArgumentException.class, () -> InviteJoinAuthorizer.parse("jam", Clock.systemUTC()));
        assertTrue(noOwner.getMessage().contains("room=did:key"), noOwner.getMessage());
        IllegalArgumentException badDid = assertThrows(
                IllegalArgumentException.class,
                () -> InviteJoinAuthorizer.parse("jam=did:key:nope", Clock.systemUTC()));
        assertTrue(badDid.getMessage().startsWith("closed room 'jam': "), badDid.getMessage());
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class,
                () -> InviteJoinAuthorizer.parse("jam=" + owner.peerId() + ",jam=" + bob.peerId(), Clock.systemUTC()));
        assertEquals(
                "closed room 'jam' is given twice (owners " + owner.peerId() + " and " + bob.peerId()
                        + "); give each room once",
                twice.getMessage());
        IllegalArgumentException tooLong = assertThrows(
                IllegalArgumentException.class,
                () -> InviteJoinAuthorizer.parse("x".repeat(300) + "=" + owner.peerId(), Clock.systemUTC()));
        assertTrue(tooLong.getMessage().startsWith("closed room 'xxx"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().contains("1 to 255 bytes"), tooLong.getMessage());
        InviteJoinAuthorizer withEquals = InviteJoinAuthorizer.parse("a=b=" + owner.peerId(), Clock.systemUTC());
        assertTrue(withEquals.checksTokenItself("a=b"));
        assertFalse(withEquals.checksTokenItself("a"));
        SignalingServerConfig config =
                Main.parse(new String[] {"--closed-rooms", "jam=" + owner.peerId()}, java.util.Map.of());
        assertTrue(config.joinAuthorizer().checksTokenItself("jam"));
    }

    @Test
    void revocationsLastInTheirDirectoryAcrossRestarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertEquals("team%2Fjam.revocations", InviteJoinAuthorizer.revocationFileName("team/jam"));
        assertEquals("%2E.revocations", InviteJoinAuthorizer.revocationFileName("."));
        // An owner hands the operator a revocation line; the server reads it at start.
        java.nio.file.Files.writeString(
                dir.resolve("jam.revocations"),
                Revocation.ofMember(owner, "jam", bob.peerId(), now).toText() + "\n");
        SignalingServerConfig config = Main.parse(
                new String[] {"--closed-rooms", "jam=" + owner.peerId(), "--closed-rooms-revocations", dir.toString()},
                java.util.Map.of());
        SignalingServer server = fixture.start(b -> b.joinAuthorizer(config.joinAuthorizer()));
        TestClient bobClient = fixture.track(TestClient.verified(server.uri(), bob));
        assertTrue(refusal(bobClient, inviteFor(bob, false)).contains("(REVOKED)"));
        // One revoked in code is appended and holds after a restart.
        ((InviteJoinAuthorizer) config.joinAuthorizer()).revoke(Revocation.ofMember(owner, "jam", carol.peerId(), now));
        InviteJoinAuthorizer restarted = InviteJoinAuthorizer.parse("jam=" + owner.peerId(), Clock.systemUTC(), dir);
        assertFalse(restarted
                .authorize(carol.peerId(), "jam", inviteFor(carol, false))
                .allowed());
        // A file that holds something else stops the server from starting, naming the line.
        java.nio.file.Files.writeString(
                dir.resolve("jam.revocations"), "garbage\n", java.nio.file.StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Main.parse(
                        new String[] {
                            "--closed-rooms", "jam=" + owner.peerId(), "--closed-rooms-revocations", dir.toString()
                        },
                        java.util.Map.of()));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Main.parse(new String[] {"--closed-rooms-revocations", dir.toString()}, java.util.Map.of()));
    }

    private static ServerMessage.Joined joinWith(TestClient client, String token) throws InterruptedException {
        client.send(new ClientMessage.Join("jam", token));
        return client.expect(ServerMessage.Joined.class);
    }
}
