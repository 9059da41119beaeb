package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.cluster.ClusterCodec;
import dev.ensemble.signaling.cluster.ClusterMessage;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.RedisServer;
import dev.ensemble.transport.PeerId;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in this JVM sharing one Redis the test starts: order under load, bad input on Redis, Redis outages. */
class ClusterTest {

    @TempDir
    Path dir;

    private RedisServer redis;
    private ServerFixture fixture;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(dir);
        fixture = ServerFixture.clustered(redis.uri(), 3);
    }

    @AfterEach
    void stop() throws InterruptedException {
        fixture.close();
        redis.close();
    }

    private static byte[] frame(String room, TestClient from, TestClient to, int sequence) {
        return new RelayFrame(
                        room,
                        from.identity.peerId(),
                        to.identity.peerId(),
                        ByteBuffer.allocate(4).putInt(sequence).array())
                .encode();
    }

    private static RelayFrame decode(byte[] bytes) {
        try {
            return RelayFrame.decode(ByteBuffer.wrap(bytes));
        } catch (MalformedMessageException e) {
            throw new AssertionError("the server relayed a frame that does not decode", e);
        }
    }

    private static int sequence(byte[] bytes) {
        return ByteBuffer.wrap(decode(bytes).payload()).getInt();
    }

    @Test
    void aRoomSpanningNodesKeepsTheOrderOfEveryPairUnderLoad() throws Exception {
        SignalingServer server = fixture.start(b -> b.relayRate(new RateLimit(20_000, 40_000)));
        List<TestClient> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestClient peer = fixture.verified(server);
            Set<PeerId> expected = new HashSet<>();
            peers.forEach(earlier -> expected.add(earlier.identity.peerId()));
            assertEquals(
                    expected,
                    Set.copyOf(peer.joinKnowing("orchestra", peers.toArray(TestClient[]::new))),
                    "the peers of every node are known");
            for (TestClient earlier : peers) {
                assertEquals(
                        new ServerMessage.PeerJoined("orchestra", peer.identity.peerId()),
                        earlier.expect(ServerMessage.PeerJoined.class));
            }
            peers.add(peer);
        }
        int perPair = 300;
        // receiver -> sender -> sequence numbers in arrival order
        Map<PeerId, Map<PeerId, List<Integer>>> arrivals = new ConcurrentHashMap<>();
        for (TestClient receiver : peers) {
            Map<PeerId, List<Integer>> bySender = new ConcurrentHashMap<>();
            arrivals.put(receiver.identity.peerId(), bySender);
            receiver.onReceive(received -> {
                if (received instanceof byte[] bytes) {
                    RelayFrame relayed = decode(bytes);
                    bySender.computeIfAbsent(relayed.from(), ignored -> new CopyOnWriteArrayList<>())
                            .add(ByteBuffer.wrap(relayed.payload()).getInt());
                }
            });
        }
        List<Thread> senders = new ArrayList<>();
        for (TestClient sender : peers) {
            Thread thread = new Thread(() -> {
                for (int sequence = 0; sequence < perPair; sequence++) {
                    for (TestClient receiver : peers) {
                        if (receiver != sender) {
                            sender.sendBinary(frame("orchestra", sender, receiver, sequence));
                        }
                    }
                }
            });
            thread.start();
            senders.add(thread);
        }
        for (Thread thread : senders) {
            thread.join();
        }
        int pairs = peers.size() * (peers.size() - 1);
        Await.until(
                "every frame of every pair arrives",
                () -> arrivals.values().stream()
                                .flatMap(bySender -> bySender.values().stream())
                                .mapToInt(List::size)
                                .sum()
                        == pairs * perPair,
                () -> arrivals);
        for (Map<PeerId, List<Integer>> bySender : arrivals.values()) {
            for (List<Integer> sequence : bySender.values()) {
                for (int i = 0; i < sequence.size(); i++) {
                    assertEquals(i, sequence.get(i), "frames of one sender to one receiver arrive in order");
                }
            }
        }
    }

    @Test
    void aMalformedMessageOnARedisChannelIsCountedAndDropped() throws Exception {
        SignalingServer server = fixture.start();
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        alice.join("lobby");
        bob.joinKnowing("lobby", alice);
        alice.expect(ServerMessage.PeerJoined.class);

        assertEquals(":2", redis.command("PUBLISH ensemble:signaling:room:lobby not-a-cluster-message"));
        String nodeChannel =
                "ensemble:signaling:node:" + fixture.nodes(server).get(1).clusterNodeId();
        assertEquals(":1", redis.command("PUBLISH " + nodeChannel + " \u0002\u0001version-two"));
        for (SignalingServer node : fixture.nodes(server).subList(0, 2)) {
            Await.until(
                    "node " + node.clusterNodeId() + " counts what it dropped",
                    () -> metrics(node)
                            .contains("ensemble_signaling_cluster_malformed_total " + (node == server ? 1 : 2) + "\n"),
                    () -> metrics(node));
        }

        alice.sendBinary(frame("lobby", alice, bob, 7));
        assertEquals(7, sequence(bob.expect(byte[].class)));
        alice.expectNothing(Duration.ofMillis(100));
        bob.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void aNodeTakenForDeadWhileAliveWritesItsPeersBack() throws Exception {
        SignalingServer server = fixture.start();
        TestClient alice = fixture.verified(server); // node 0
        TestClient bob = fixture.verified(server); // node 1
        alice.join("lobby");
        bob.joinKnowing("lobby", alice);
        alice.expect(ServerMessage.PeerJoined.class);

        // What another node's reaper does when node 0's heartbeat comes too late: remove node 0's
        // membership and publish the leave in its name.
        String nodeZero = server.clusterNodeId();
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> redisConnection = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] room = "ensemble:signaling:room:lobby".getBytes(StandardCharsets.UTF_8);
            redisConnection.sync().hdel(room, alice.identity.peerId().toString().getBytes(StandardCharsets.UTF_8));
            redisConnection
                    .sync()
                    .publish(
                            room,
                            ClusterCodec.encode(
                                    new ClusterMessage.PeerLeft(nodeZero, "lobby", alice.identity.peerId())));
        } finally {
            client.shutdown();
        }

        assertEquals(
                new ServerMessage.PeerLeft("lobby", alice.identity.peerId()), bob.expect(ServerMessage.PeerLeft.class));
        assertEquals(
                new ServerMessage.PeerJoined("lobby", alice.identity.peerId()),
                bob.expect(ServerMessage.PeerJoined.class),
                "node 0 notices the leave of a peer it still holds and publishes its roster again");
        bob.send(new ClientMessage.Signal("lobby", alice.identity.peerId(), new ObjectMapper().readTree("{}")));
        assertEquals(
                bob.identity.peerId(),
                alice.expect(ServerMessage.RelayedSignal.class).from());
        TestClient newcomer =
                fixture.track(TestClient.verified(fixture.nodes(server).get(2).uri()));
        assertEquals(
                Set.of(alice.identity.peerId(), bob.identity.peerId()),
                Set.copyOf(newcomer.joinKnowing("lobby", alice, bob)));
        assertEquals(
                newcomer.identity.peerId(),
                alice.expect(ServerMessage.PeerJoined.class).peerId());
        alice.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void ridesOutARedisRestartUnderTrafficAndReconcilesTheRosters() throws Exception {
        SignalingServer server = fixture.start(b -> b.relayRate(new RateLimit(20_000, 40_000)));
        List<SignalingServer> nodes = fixture.nodes(server);
        TestClient alice = fixture.verified(server); // node 0
        TestClient bob = fixture.verified(server); // node 1
        TestClient carol = fixture.verified(server); // node 2
        TestClient alicesNeighbour =
                fixture.track(TestClient.verified(nodes.get(0).uri()));
        List<TestClient> band = List.of(alice, bob, carol, alicesNeighbour);
        for (int i = 0; i < band.size(); i++) {
            band.get(i).joinKnowing("band", band.subList(0, i).toArray(TestClient[]::new));
        }
        alice.expect(ServerMessage.PeerJoined.class);
        alice.expect(ServerMessage.PeerJoined.class);
        alice.expect(ServerMessage.PeerJoined.class);
        bob.expect(ServerMessage.PeerJoined.class);
        bob.expect(ServerMessage.PeerJoined.class);
        carol.expect(ServerMessage.PeerJoined.class);

        List<Integer> bobGot = new CopyOnWriteArrayList<>();
        bob.onReceive(received -> {
            if (received instanceof byte[] bytes) {
                bobGot.add(sequence(bytes));
            }
        });
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread traffic = new Thread(() -> {
            while (sending.get()) {
                alice.sendBinary(frame("band", alice, bob, sent.getAndIncrement()));
                if (sent.get() % 10 == 0) {
                    // Pacing, not waiting: a steady stream of at most 10,000 frames/s, below the relay rate limit.
                    LockSupport.parkNanos(1_000_000);
                }
            }
        });
        traffic.start();
        try {
            Await.until("frames flow across nodes", () -> bobGot.size() > 100);

            redis.stop();
            for (SignalingServer node : nodes) {
                Await.until(
                        "node " + node.clusterNodeId() + " reports Redis down",
                        () -> health(node).startsWith("503 redis unreachable"));
            }
            // Local peers are still served: two peers of one node talk as before.
            alicesNeighbour.send(new ClientMessage.Signal(
                    "band", alice.identity.peerId(), new ObjectMapper().readTree("{\"during\":\"outage\"}")));
            assertEquals(
                    alicesNeighbour.identity.peerId(),
                    alice.expect(ServerMessage.RelayedSignal.class).from());
            // Carol leaves while her node cannot tell anyone.
            carol.send(new ClientMessage.Leave("band"));
            carol.expect(ServerMessage.Left.class);

            redis.restart();
            for (SignalingServer node : nodes) {
                Await.until(
                        "node " + node.clusterNodeId() + " is healthy again",
                        () -> health(node).startsWith("200"));
            }
            int before = bobGot.size();
            Await.until("frames flow again after Redis returned", () -> bobGot.size() > before + 100);
        } finally {
            sending.set(false);
            traffic.join();
        }
        // The rosters are right again: Carol's leave reaches the others, a newcomer sees the rest.
        ServerMessage.PeerLeft carolLeft = new ServerMessage.PeerLeft("band", carol.identity.peerId());
        while (!carolLeft.equals(alice.next(Await.DEFAULT_TIMEOUT))) {
            // Room events of the reconciliation may come first (a member dropped and added back while
            // the nodes rewrite Redis one after the other); Carol's leave must come.
        }
        TestClient newcomer = fixture.track(TestClient.verified(nodes.get(2).uri()));
        assertEquals(
                Set.of(alice.identity.peerId(), bob.identity.peerId(), alicesNeighbour.identity.peerId()),
                Set.copyOf(newcomer.joinKnowing("band", alice, bob, alicesNeighbour)));
        // Order held throughout: what was lost in the outage is missing, nothing is reordered.
        for (int i = 1; i < bobGot.size(); i++) {
            assertTrue(bobGot.get(i) > bobGot.get(i - 1), "frame " + bobGot.get(i) + " after " + bobGot.get(i - 1));
        }
    }

    private static String metrics(SignalingServer node) {
        try {
            return ServerFixture.http(node, "/metrics");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String health(SignalingServer node) {
        try {
            return ServerFixture.http(node, "/healthz");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
