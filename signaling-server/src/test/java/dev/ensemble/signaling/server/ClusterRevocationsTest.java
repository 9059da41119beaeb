package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.process.RedisServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.Invite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.Revocation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing a Redis, each with its own {@link InviteJoinAuthorizer} for the closed room, as two
 * processes started with the same {@code --closed-rooms}: the node a revocation is passed on to removes its
 * own members that the revocation shuts out, and their departure reaches the members on the other node.
 */
class ClusterRevocationsTest {

    private static final String ROOM = "jam";

    @TempDir
    Path dir;

    private final PeerIdentity owner = PeerIdentity.generate();
    private final Instant now = Instant.now();
    private RedisServer redis;
    private ServerFixture fixture;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(dir);
        fixture = ServerFixture.clustered(redis.uri(), 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        fixture.close();
        redis.close();
    }

    /** Joins with an invite, knowing every peer of {@code present} ({@code joined} or a peer-joined after it). */
    private void enter(TestClient client, List<TestClient> present) throws InterruptedException {
        String invite = client.identity.equals(owner)
                ? null
                : InviteChain.of(Invite.issue(
                                owner, ROOM, client.identity.peerId(), false, now, now.plus(Duration.ofHours(1))))
                        .toText();
        client.send(new ClientMessage.Join(ROOM, invite));
        List<PeerId> known =
                new ArrayList<>(client.expect(ServerMessage.Joined.class).peers());
        for (TestClient peer : present) {
            if (!known.contains(peer.identity.peerId())) {
                assertEquals(
                        new ServerMessage.PeerJoined(ROOM, peer.identity.peerId()),
                        client.expect(ServerMessage.PeerJoined.class));
            }
        }
        for (TestClient peer : present) {
            assertEquals(
                    new ServerMessage.PeerJoined(ROOM, client.identity.peerId()),
                    peer.expect(ServerMessage.PeerJoined.class));
        }
    }

    @Test
    void aMemberRemovedOnItsNodeLeavesTheRoomForTheMembersOnEveryNode() throws Exception {
        SignalingServer first = fixture.start(
                b -> b.joinAuthorizer(InviteJoinAuthorizer.parse(ROOM + "=" + owner.peerId(), Clock.systemUTC())));
        SignalingServer second = fixture.nodes(first).get(1);
        TestClient ownerClient = fixture.track(TestClient.verified(first.uri(), owner));
        TestClient bob = fixture.track(TestClient.verified(first.uri()));
        TestClient carol = fixture.track(TestClient.verified(first.uri()));
        TestClient dave = fixture.track(TestClient.verified(second.uri()));
        List<TestClient> in = new ArrayList<>();
        for (TestClient member : List.of(ownerClient, bob, carol, dave)) {
            enter(member, in);
            in.add(member);
        }

        bob.send(new ClientMessage.Revoke(
                ROOM,
                Revocation.ofMember(owner, ROOM, carol.identity.peerId(), now).toText()));

        assertTrue(carol.expectError(ErrorCode.UNAUTHORIZED).endsWith("(REVOKED)"));
        for (TestClient member : List.of(ownerClient, bob, dave)) {
            assertEquals(
                    new ServerMessage.PeerLeft(ROOM, carol.identity.peerId()),
                    member.expect(ServerMessage.PeerLeft.class));
        }
        // The first node refuses her join; it is the node that learned the revocation.
        carol.send(new ClientMessage.Join(
                ROOM,
                InviteChain.of(Invite.issue(
                                owner, ROOM, carol.identity.peerId(), false, now, now.plus(Duration.ofHours(1))))
                        .toText()));
        assertTrue(carol.expectError(ErrorCode.UNAUTHORIZED).endsWith("(REVOKED)"));
        assertTrue(ServerFixture.http(first, "/metrics").contains("ensemble_signaling_revocation_evictions_total 1\n"));
        assertTrue(
                ServerFixture.http(second, "/metrics").contains("ensemble_signaling_revocation_evictions_total 0\n"));
    }
}
