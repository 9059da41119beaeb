package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.process.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every test of {@link SignalingServerTest} with each server started as three nodes sharing one Redis and
 * the test's clients spread over the nodes in turn: the nodes must behave to clients as one server.
 */
class ClusteredSignalingServerTest extends SignalingServerTest {

    @TempDir
    static Path redisDir;

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() throws IOException {
        redis.command("FLUSHALL");
    }

    @Override
    ServerFixture fixture() {
        return ServerFixture.clustered(redis.uri(), 3);
    }

    /** Replaces the single server's version: each node counts its own connections, and its cluster traffic. */
    @Override
    @Test
    void servesHealthAndMetricsWithTheCounters() throws Exception {
        SignalingServer first = fixture.start();
        SignalingServer second = fixture.nodes(first).get(1);
        TestClient alice = fixture.track(TestClient.verified(first.uri()));
        TestClient bob = fixture.track(TestClient.verified(second.uri()));
        alice.join("metered");
        bob.joinKnowing("metered", alice);
        alice.expect(ServerMessage.PeerJoined.class);
        alice.sendBinary(
                new RelayFrame("metered", alice.identity.peerId(), bob.identity.peerId(), new byte[] {1}).encode());
        bob.expect(byte[].class);

        assertEquals("200 ok\n", ServerFixture.http(first, "/healthz"));
        String sender = ServerFixture.http(first, "/metrics");
        String receiver = ServerFixture.http(second, "/metrics");
        for (String expected : List.of(
                "ensemble_signaling_connections 1",
                "ensemble_signaling_peers 1",
                "ensemble_signaling_rooms 1",
                "ensemble_signaling_cluster_membership 2",
                "ensemble_signaling_cluster_redis_up 1",
                "ensemble_signaling_cluster_malformed_total 0")) {
            assertTrue(sender.contains(expected + "\n"), () -> "missing '" + expected + "' in\n" + sender);
            assertTrue(receiver.contains(expected + "\n"), () -> "missing '" + expected + "' in\n" + receiver);
        }
        assertTrue(sender.contains("ensemble_signaling_messages_received_total{type=\"relay\"} 1\n"), sender);
        assertTrue(receiver.contains("ensemble_signaling_messages_sent_total{type=\"relay\"} 1\n"), receiver);
        // Alice's node published her join, the frame; Bob's node received the frame (and Alice's join).
        assertTrue(counter(sender, "ensemble_signaling_cluster_frames_out_total") >= 2, sender);
        assertTrue(counter(receiver, "ensemble_signaling_cluster_frames_in_total") >= 1, receiver);
        assertTrue(sender.contains("# TYPE ensemble_signaling_cluster_redis_latency_seconds gauge\n"), sender);
    }

    private static long counter(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in\n" + metrics);
    }
}
