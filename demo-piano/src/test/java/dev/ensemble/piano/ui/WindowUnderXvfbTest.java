package dev.ensemble.piano.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.piano.cli.Main;
import dev.ensemble.piano.process.MidiFiles;
import dev.ensemble.piano.process.PeerProcess;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private ChildProcess xvfb;
    private String display;
    private SignalingServer server;
    private final List<PeerProcess> processes = new ArrayList<>();

    @BeforeEach
    void startDisplayAndServer() throws Exception {
        Optional<Path> binary = ChildProcess.findOnPath("Xvfb");
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
            ChildProcess started = ChildProcess.builder(List.of(
                            binary.get().toString(), ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp"))
                    .start(dir, "xvfb-" + n);
            Await.until(
                    "Xvfb :" + n + " listens",
                    Duration.ofSeconds(20),
                    () -> Files.exists(socket) || !started.isAlive());
            if (started.isAlive()) {
                xvfb = started;
                display = ":" + n;
            }
        }
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        processes.forEach(PeerProcess::close);
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (xvfb != null) {
            // SIGTERM, so that Xvfb removes its socket and lock file and the display number is free again.
            try {
                xvfb.terminate(Duration.ofSeconds(10));
            } finally {
                xvfb.close();
            }
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
                WindowDriver.class,
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
            peer.assertAlive();
            window.assertAlive();
            return !peer.events("joined", e -> e.get("name").asText().equals("Ada"))
                    .isEmpty();
        });
        window.child().writeLine("go");
        assertEquals(0, window.child().awaitExit(STARTED), window.console());

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
        try (ChildProcess window = ChildProcess.builder(
                        JavaCommand.of(Main.class).args("--server", "ws://127.0.0.1:" + closed, "--room", "nowhere"))
                .environment("DISPLAY", display)
                .start(dir, "unreachable")) {
            int exitCode = window.awaitExit();

            assertEquals(1, exitCode, window.describe());
            // Exactly this: webrtc-java's two lines at exit ("VM attach current thread failed", ...) must not follow.
            assertEquals("", window.stdoutText(), window.describe());
            assertEquals(
                    "error: cannot join room \"nowhere\" on ws://127.0.0.1:" + closed + ": the signaling server does"
                            + " not answer (WebSocket error on the connection to ws://127.0.0.1:" + closed
                            + ": java.net.ConnectException: Connection refused); check --server"
                            + System.lineSeparator(),
                    window.stderrText());
        }
    }
}
