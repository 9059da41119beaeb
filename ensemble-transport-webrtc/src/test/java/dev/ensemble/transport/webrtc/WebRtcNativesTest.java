package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading the natives (no network traffic) and the errors that say what to do. */
class WebRtcNativesTest {

  @Test
  void loadsOnceAndSharesOneFactory() {
    assertTrue(WebRtcNatives.isAvailable(), () -> "natives should load here: "
        + WebRtcNatives.unavailableReason().orElse(""));
    assertSame(WebRtcNatives.factory(), WebRtcNatives.factory());
    assertTrue(WebRtcNatives.unavailableReason().isEmpty());
  }

  @Test
  void explainsAMissingLibpulseWithWhatToInstall() {
    UnsatisfiedLinkError missing = new UnsatisfiedLinkError("/tmp/libwebrtc-java-linux-x86_64"
        + "123.so: libpulse.so.0: cannot open shared object file: No such file or directory");
    WebRtcUnavailableException error = WebRtcNatives.explain(
        new RuntimeException("Load library 'webrtc-java' failed", missing));
    assertTrue(error.getMessage().startsWith("WebRTC is unavailable: webrtc-java's native library"
        + " needs PulseAudio's client library libpulse.so.0, which is missing ("),
        error.getMessage());
    assertTrue(error.getMessage().endsWith("install Debian's libpulse0 (apt-get install"
        + " libpulse0). Peers keep using the WebSocket relay."), error.getMessage());
    assertSame(missing, error.getCause().getCause());
  }

  @Test
  void explainsOtherLoadingFailuresWithThePlatformNeeded() {
    WebRtcUnavailableException error = WebRtcNatives.explain(
        new UnsatisfiedLinkError("no webrtc-java in java.library.path"));
    assertEquals("WebRTC is unavailable: loading webrtc-java's native library failed (no"
        + " webrtc-java in java.library.path); it needs Linux x86-64 with glibc >= 2.18 and the"
        + " webrtc-java 'linux-x86_64' classifier jar on the class path. Peers keep using the"
        + " WebSocket relay.", error.getMessage());
  }

  @Test
  void configRejectsValuesThatWouldBreakAChannel() {
    IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
        () -> WebRtcConfig.builder().maxMessageSize(262_145));
    assertEquals("maxMessageSize must be 512 to 262144 bytes (a data channel closes above"
        + " 256 KiB), was 262145", tooBig.getMessage());
    IllegalArgumentException backoff = assertThrows(IllegalArgumentException.class,
        () -> WebRtcConfig.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertEquals("maxBackoff must be >= initialBackoff, was PT1S < PT2S", backoff.getMessage());
    IllegalArgumentException turn = assertThrows(IllegalArgumentException.class,
        () -> IceServer.of("turn:turn.example.org:3478"));
    assertEquals("TURN server turn:turn.example.org:3478 needs a username and a credential (for"
        + " coturn use-auth-secret: the ones from the server's welcome)", turn.getMessage());
    assertEquals(64 * 1024, WebRtcConfig.defaults().maxMessageSize());
    WebRtcConfig relay = WebRtcConfig.defaults().toBuilder().relayOnly(true)
        .iceServers(List.of(IceServer.of(List.of("turn:t.example.org"), "u", "secret"))).build();
    assertTrue(relay.relayOnly());
    assertTrue(!relay.toString().contains("secret"), relay.toString());
  }
}
