package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.IceServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the natives (no network traffic) and the errors that say what to do. */
class WebRtcNativesTest {

    @TempDir
    Path dir;

    @Test
    void loadsOnceAndSharesOneFactory() {
        assertTrue(
                WebRtcNatives.isAvailable(),
                () -> "natives should load here: "
                        + WebRtcNatives.unavailableReason().orElse(""));
        assertSame(WebRtcNatives.factory(), WebRtcNatives.factory());
        assertTrue(WebRtcNatives.unavailableReason().isEmpty());
    }

    @Test
    void explainsAMissingLibpulseWithWhatToInstall() {
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("/tmp/libwebrtc-java-linux-x86_64"
                + "123.so: libpulse.so.0: cannot open shared object file: No such file or directory");
        WebRtcUnavailableException error =
                WebRtcNatives.explain(new RuntimeException("Load library 'webrtc-java' failed", missing));
        assertTrue(
                error.getMessage()
                        .startsWith("WebRTC is unavailable: webrtc-java's native library"
                                + " needs PulseAudio's client library libpulse.so.0, which is missing ("),
                error.getMessage());
        assertTrue(
                error.getMessage()
                        .endsWith("install Debian's libpulse0 (apt-get install"
                                + " libpulse0). Peers keep using the WebSocket relay."),
                error.getMessage());
        assertSame(missing, error.getCause().getCause());
    }

    /**
     * A child JVM in a private mount namespace where libpulse.so.0 is replaced by an empty file
     * (the machine itself is untouched): the natives do not load, the error says what to install,
     * and creating a transport fails with the same advice instead of crashing.
     */
    @Test
    void childJvmWithoutLibpulseGetsAnErrorThatSaysWhatToInstall() throws Exception {
        Path libpulse = Path.of("/usr/lib/x86_64-linux-gnu/libpulse.so.0");
        Assumptions.assumeTrue(
                Files.exists(libpulse)
                        && ChildProcess.findOnPath("unshare").isPresent()
                        && "root".equals(System.getProperty("user.name")),
                "needs root, unshare and Debian's libpulse0 to hide it from a child JVM");
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind /dev/null " + libpulse + " && exec \"$@\"",
                "sh"));
        command.addAll(JavaCommand.of(NativesProbe.class).toList());
        try (ChildProcess child = ChildProcess.builder(command).start(dir, "without-libpulse")) {
            child.awaitExit();
            String output = child.stdoutText() + child.stderrText();
            Assumptions.assumeFalse(
                    output.contains("unshare failed") || output.contains("mount:"),
                    "this machine does not allow a private mount namespace: " + output);
            assertTrue(output.contains("available=false"), output);
            assertTrue(
                    output.contains("reason=WebRTC is unavailable: webrtc-java's native library needs"
                            + " PulseAudio's client library libpulse.so.0, which is missing ("),
                    output);
            assertTrue(
                    output.contains("install Debian's libpulse0 (apt-get install libpulse0). Peers"
                            + " keep using the WebSocket relay."),
                    output);
            assertTrue(
                    output.contains("create=WebRTC is unavailable: webrtc-java's native library"
                            + " needs PulseAudio's client library"),
                    output);
        }
    }

    @Test
    void explainsOtherLoadingFailuresWithThePlatformNeeded() {
        WebRtcUnavailableException error =
                WebRtcNatives.explain(new UnsatisfiedLinkError("no webrtc-java in java.library.path"));
        assertEquals(
                "WebRTC is unavailable: loading webrtc-java's native library failed (no"
                        + " webrtc-java in java.library.path); it needs Linux x86-64 with glibc >= 2.18 and the"
                        + " webrtc-java 'linux-x86_64' classifier jar on the class path. Peers keep using the"
                        + " WebSocket relay.",
                error.getMessage());
    }

    @Test
    void configRejectsValuesThatWouldBreakAChannel() {
        IllegalArgumentException tooBig = assertThrows(
                IllegalArgumentException.class, () -> WebRtcConfig.builder().maxMessageSize(262_145));
        assertEquals(
                "maxMessageSize must be 512 to 262144 bytes (a data channel closes above" + " 256 KiB), was 262145",
                tooBig.getMessage());
        IllegalArgumentException backoff = assertThrows(
                IllegalArgumentException.class,
                () -> WebRtcConfig.builder().backoff(Backoff.of(Duration.ZERO, Duration.ofSeconds(1), 0.5)));
        assertEquals(
                "the re-dial backoff's min must be positive (zero would re-dial an unreachable peer in a tight"
                        + " loop) but is Backoff[PT0S doubling to PT1S, jitter 0.5]",
                backoff.getMessage());
        IllegalArgumentException turn = assertThrows(
                IllegalArgumentException.class,
                () -> WebRtcConfig.builder().iceServers(List.of(IceServer.of("turn:turn.example.org:3478"))));
        assertEquals(
                "TURN server turn:turn.example.org:3478 needs a username and a credential (for"
                        + " coturn use-auth-secret: the ones from the server's welcome)",
                turn.getMessage());
        assertEquals(64 * 1024, WebRtcConfig.defaults().maxMessageSize());
        WebRtcConfig relay = WebRtcConfig.defaults().toBuilder()
                .relayOnly(true)
                .iceServers(List.of(IceServer.of(List.of("turn:t.example.org"), "u", "secret")))
                .build();
        assertTrue(relay.relayOnly());
        assertTrue(!relay.toString().contains("secret"), relay.toString());
    }
}
