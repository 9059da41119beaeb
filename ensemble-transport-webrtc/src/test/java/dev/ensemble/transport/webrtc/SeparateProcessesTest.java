package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.transport.webrtc.room.PeerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private SignalingServer server;
    private final List<PeerJvm> peers = new ArrayList<>();

    /** A child JVM running {@link PeerProcess}, with its output collected by a reader thread. */
    private static final class PeerJvm {
        final String name;
        final Process process;
        final List<String> output = Collections.synchronizedList(new ArrayList<>());

        PeerJvm(String name, Process process) {
            this.name = name;
            this.process = process;
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader lines = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                output.add(line);
                            }
                        } catch (IOException e) {
                            output.add("(output lost: " + e + ")");
                        }
                    },
                    "peer-output-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        Optional<String> line(String prefix) {
            synchronized (output) {
                return output.stream().filter(l -> l.startsWith(prefix)).findFirst();
            }
        }

        String tail() {
            synchronized (output) {
                return String.join("\n", output.subList(Math.max(0, output.size() - 15), output.size()));
            }
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        NetNamespace.assumeInside();
        server = new SignalingServer(SignalingServerConfig.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .metricsPort(SignalingServerConfig.METRICS_DISABLED)
                        .build())
                .start();
    }

    @AfterEach
    void stopEverything() {
        peers.forEach(peer -> peer.process.destroyForcibly());
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private PeerJvm spawn(String name, int count) throws IOException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PeerProcess.class.getName(),
                        "ws://127.0.0.1:" + server.port() + "/",
                        "processes-" + count,
                        name,
                        Integer.toString(count),
                        Integer.toString(LINES_PER_PEER))
                .redirectErrorStream(true)
                .start();
        PeerJvm peer = new PeerJvm(name, process);
        peers.add(peer);
        return peer;
    }

    @ParameterizedTest(name = "{0} peers")
    @ValueSource(ints = {2, 3})
    void peersInSeparateJvmsConvergeOverWebRtc(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            spawn("peer" + i, count);
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (PeerJvm peer : peers) {
            while (peer.line("CONVERGED").isEmpty()) {
                assertTrue(peer.process.isAlive(), peer.name + " ended early:\n" + peer.tail());
                assertTrue(
                        System.nanoTime() < deadline,
                        peer.name + " did not converge within " + DEADLINE + ":\n" + peer.tail());
                Thread.sleep(20);
            }
        }

        Set<String> documents = new HashSet<>();
        String everyOtherOverWebRtc = String.join(",", Collections.nCopies(count - 1, "webrtc"));
        for (PeerJvm peer : peers) {
            String[] converged = peer.line("CONVERGED").orElseThrow().split(" ");
            assertEquals(Integer.toString(count * LINES_PER_PEER), converged[1], peer.name + ": lines");
            documents.add(converged[2]);
            assertEquals(
                    "[" + everyOtherOverWebRtc + "]",
                    converged[3],
                    peer.name + " reaches every other peer over WebRTC");
        }
        assertEquals(1, documents.size(), "every peer holds the same document: " + documents);

        for (PeerJvm peer : peers) {
            OutputStream in = peer.process.getOutputStream();
            in.write("exit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        for (PeerJvm peer : peers) {
            assertTrue(peer.process.waitFor(30, TimeUnit.SECONDS), peer.name + " exits when told");
            assertEquals(0, peer.process.exitValue(), peer.name + ":\n" + peer.tail());
        }
    }
}
