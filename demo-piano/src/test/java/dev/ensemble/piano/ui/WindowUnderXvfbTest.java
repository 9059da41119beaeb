package dev.ensemble.piano.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.piano.cli.Main;
import dev.ensemble.piano.process.MidiFiles;
import dev.ensemble.piano.process.PeerProcess;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real piano window on a virtual display (Xvfb, Debian package {@code xvfb}): a
 * {@link WindowDriver} in its own JVM opens it in a network room, presses computer keys with
 * {@code java.awt.Robot} and reads the keys' pixels; a headless peer in another JVM hears the
 * notes and holds two keys of its own. Skipped when Xvfb is not installed.
 */
class WindowUnderXvfbTest {
    private static final Duration STARTED = Duration.ofSeconds(60);
    /** The screenshot the docs show is copied here (the module's target directory). */
    private static final Path SCREENSHOT = Path.of("target", "piano-room.png");

    @TempDir
    Path dir;

    private Process xvfb;
    private String display;
    private SignalingServer server;
    private final List<PeerProcess> processes = new ArrayList<>();

    @BeforeEach
    void startDisplayAndServer() throws Exception {
        Optional<Path> binary = onPath("Xvfb");
        assumeTrue(binary.isPresent(), "Xvfb is not installed (Debian package xvfb): the window test is skipped");
        int first = 90 + (int) (ProcessHandle.current().pid() % 50);
        for (int n = first; xvfb == null; n++) {
            if (n >= first + 20) {
                throw new AssertionError("Xvfb did not start on any display from :" + first + " to :" + (n - 1)
                        + "; see its logs in " + dir);
            }
            Path socket = Path.of("/tmp/.X11-unix/X" + n);
            if (Files.exists(socket) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            Process started = new ProcessBuilder(
                            binary.get().toString(), ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("xvfb-" + n + ".log").toFile())
                    .start();
            Await.until(
                    "Xvfb :" + n + " listens",
                    Duration.ofSeconds(20),
                    () -> Files.exists(socket) || !started.isAlive());
            if (started.isAlive()) {
                xvfb = started;
                display = ":" + n;
            }
        }
        server = new SignalingServer(SignalingServerConfig.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .metricsPort(SignalingServerConfig.METRICS_DISABLED)
                        .build())
                .start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.forEach(PeerProcess::close);
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (xvfb != null) {
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void keysPressedInTheWindowLightUpAndReachAHeadlessPeer() throws Exception {
        Path chord = MidiFiles.write(dir.resolve("chord.mid"), 0, new int[][] {{0, 60_000, 69}, {0, 60_000, 72}});
        PeerProcess peer = PeerProcess.start(
                dir,
                "Ben",
                Map.of(),
                "--headless",
                "--server",
                server.uri().toString(),
                "--room",
                "duet",
                "--wait-for-players",
                "2",
                "--stay",
                "--instrument",
                "vibraphone",
                "--bot",
                chord.toString());
        processes.add(peer);
        Path png = dir.resolve("room.png");
        PeerProcess window = PeerProcess.start(
                dir,
                "Ada",
                WindowDriver.class.getName(),
                Map.of("DISPLAY", display),
                "--server",
                server.uri().toString(),
                "--room",
                "duet",
                "--screenshot",
                png.toString(),
                "--peer-keys",
                "69,72");
        processes.add(window);

        Await.until("the headless peer lists the window's player", STARTED, () -> {
            assertAlive(peer, window);
            return !peer.events("joined", e -> e.get("name").asText().equals("Ada"))
                    .isEmpty();
        });
        try (OutputStream stdin = window.process().getOutputStream()) {
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(window.process().waitFor(STARTED.toSeconds(), TimeUnit.SECONDS), window.console());
        assertEquals(0, window.process().exitValue(), window.console());

        List<JsonNode> seen = window.events();
        assertEquals(
                List.of(
                        "lit 60 self",
                        "lit 63 self",
                        "lit 67 self",
                        "lit 69 peer",
                        "lit 72 peer",
                        "unlit 60 self",
                        "unlit 63 self",
                        "unlit 67 self"),
                seen.stream()
                        .map(e -> e.get("type").asText() + " " + e.get("key").asInt() + " "
                                + e.get("whose").asText())
                        .toList(),
                window.console());
        Await.until(
                "the peer hears the window's notes and sees its player leave",
                () -> !peer.events("left", e -> true).isEmpty());
        List<String> heard = peer.events("note", e -> e.get("name").asText().equals("Ada")).stream()
                .map(e -> (e.get("on").asBoolean() ? "on " : "off ")
                        + e.get("key").asInt() + " " + e.get("instrument").asText())
                .toList();
        assertEquals(
                List.of("on 60 piano", "on 63 piano", "on 67 piano", "off 60 piano", "off 63 piano", "off 67 piano"),
                heard,
                peer.console());
        assertEquals(143, peer.stop(), peer.console());
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(png, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theWindowExplainsAServerThatCannotBeReached() throws Exception {
        int closed = FreePorts.tcp();
        // As the packaged jar's manifest does: newer JDKs warn when webrtc-java loads its natives without it.
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--server",
                        "ws://127.0.0.1:" + closed,
                        "--room",
                        "nowhere")
                .redirectErrorStream(true);
        builder.environment().put("DISPLAY", display);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        // Exactly this: webrtc-java's two lines at exit ("VM attach current thread failed", ...) must not follow.
        String text = new String(output, StandardCharsets.UTF_8);

        assertEquals(1, process.exitValue(), text);
        assertEquals(
                "error: cannot join room \"nowhere\" on ws://127.0.0.1:" + closed + ": the signaling server does"
                        + " not answer (WebSocket error on the connection to ws://127.0.0.1:" + closed
                        + ": java.net.ConnectException: Connection refused); check --server"
                        + System.lineSeparator(),
                text);
    }

    private static void assertAlive(PeerProcess... processes) {
        for (PeerProcess p : processes) {
            if (!p.process().isAlive()) {
                throw new AssertionError(
                        p.name() + " ended early with " + p.process().exitValue() + "\n" + p.console());
            }
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
