package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.webrtc.room.PeerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peers in separate JVMs, as real users are: each its own natives, its own identity, meeting
 * through a real signaling server. Their collaboration actors converge over WebRTC data channels,
 * and every peer reports WebRTC as the transport to every other.
 */
class SeparateProcessesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int LINES_PER_PEER = 25;

    @TempDir
    Path dir;

    private SignalingServer server;
    private final List<ChildProcess> peers = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        NetNamespace.assumeInside();
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
    }

    @AfterEach
    void stopEverything() {
        peers.forEach(ChildProcess::close);
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** A child JVM running {@link PeerProcess}. */
    private ChildProcess spawn(String name, int count) throws IOException {
        ChildProcess peer = ChildProcess.builder(JavaCommand.of(PeerProcess.class)
                        .jvmOptions("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                        .args(
                                "ws://127.0.0.1:" + server.port() + "/",
                                "processes-" + count,
                                name,
                                Integer.toString(count),
                                Integer.toString(LINES_PER_PEER)))
                .start(dir, name);
        peers.add(peer);
        return peer;
    }

    @ParameterizedTest(name = "{0} peers")
    @ValueSource(ints = {2, 3})
    void peersInSeparateJvmsConvergeOverWebRtc(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            spawn("peer" + i, count);
        }
        List<String> converged = new ArrayList<>();
        for (ChildProcess peer : peers) {
            converged.add(peer.awaitLine("that it converged", DEADLINE, line -> line.startsWith("CONVERGED")));
        }

        Set<String> documents = new HashSet<>();
        String everyOtherOverWebRtc = String.join(",", Collections.nCopies(count - 1, "webrtc"));
        for (int i = 0; i < count; i++) {
            String name = peers.get(i).name();
            String[] fields = converged.get(i).split(" ");
            assertEquals(Integer.toString(count * LINES_PER_PEER), fields[1], name + ": lines");
            documents.add(fields[2]);
            assertEquals("[" + everyOtherOverWebRtc + "]", fields[3], name + " reaches every other peer over WebRTC");
        }
        assertEquals(1, documents.size(), "every peer holds the same document: " + documents);

        for (ChildProcess peer : peers) {
            peer.writeLine("exit");
        }
        for (ChildProcess peer : peers) {
            assertEquals(
                    0, peer.awaitExit(Duration.ofSeconds(30)), peer.name() + " exits when told\n" + peer.describe());
        }
    }
}
