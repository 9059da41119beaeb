package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.cluster.ClusterNode;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.testkit.process.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three server processes and one Redis: a node killed with SIGKILL leaves the cluster within the stated bound. */
class ClusterNodeDeathTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (ws://127\\.0\\.0\\.1:\\d+)");
    /** JVM start on a loaded machine. */
    private static final Duration STARTED = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<ChildProcess> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void tearDown() throws InterruptedException {
        for (TestClient client : clients) {
            if (client.isOpen()) {
                client.close();
            }
        }
        nodes.forEach(ChildProcess::close);
        if (redis != null) {
            redis.close();
        }
    }

    private URI startNode(int index) throws Exception {
        ChildProcess node = ChildProcess.builder(
                        JavaCommand.of(Main.class).args("--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1"))
                .environment(Main.ENV_PREFIX + "REDIS", redis.uri())
                .start(dir, "node-" + index);
        nodes.add(node);
        String line = node.awaitLine(
                "node " + index + " listens", STARTED, l -> LISTENING.matcher(l).find());
        assertTrue(line.contains("cluster node "), line);
        Matcher matcher = LISTENING.matcher(line);
        assertTrue(matcher.find());
        return URI.create(matcher.group(1));
    }

    private TestClient client(URI uri) throws InterruptedException {
        TestClient client = TestClient.verified(uri);
        clients.add(client);
        return client;
    }

    @Test
    void theOthersReportTheLeaveOfAKilledNodesPeersWithinTheBound() throws Exception {
        redis = RedisServer.start(dir);
        URI first = startNode(0);
        URI second = startNode(1);
        URI doomed = startNode(2);
        TestClient alice = client(first);
        TestClient bob = client(second);
        TestClient carol = client(doomed);
        alice.join("room");
        bob.joinKnowing("room", alice);
        assertEquals(
                Set.of(alice.identity.peerId(), bob.identity.peerId()),
                Set.copyOf(carol.joinKnowing("room", alice, bob)));
        alice.expect(ServerMessage.PeerJoined.class);
        alice.expect(ServerMessage.PeerJoined.class);
        bob.expect(ServerMessage.PeerJoined.class);

        long killed = System.nanoTime();
        assertEquals(137, nodes.get(2).kill(), nodes.get(2).describe());
        ServerMessage.PeerLeft carolLeft = new ServerMessage.PeerLeft("room", carol.identity.peerId());
        assertEquals(carolLeft, alice.expect(ServerMessage.PeerLeft.class));
        assertEquals(carolLeft, bob.expect(ServerMessage.PeerLeft.class));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(
                took.compareTo(ClusterNode.DEAD_NODE_BOUND) <= 0,
                "peer-left came " + took.toMillis() + " ms after the kill; the bound is "
                        + ClusterNode.DEAD_NODE_BOUND);

        // The survivors serve on, and the dead node's membership is gone from Redis too.
        alice.send(new ClientMessage.Signal("room", bob.identity.peerId(), new ObjectMapper().readTree("{\"n\":1}")));
        assertEquals(
                alice.identity.peerId(),
                bob.expect(ServerMessage.RelayedSignal.class).from());
        TestClient newcomer = client(second);
        assertEquals(
                Set.of(alice.identity.peerId(), bob.identity.peerId()),
                Set.copyOf(newcomer.joinKnowing("room", alice, bob)));
        assertEquals(":2", redis.command("SCARD ensemble:signaling:nodes"), "the dead node is no longer registered");
    }
}
