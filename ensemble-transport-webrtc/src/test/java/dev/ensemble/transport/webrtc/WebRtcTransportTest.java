package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.transport.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two transports in one JVM, negotiated through an in-memory signal relay (inside netns-run). */
class WebRtcTransportTest {

  static final Duration OPEN = Duration.ofSeconds(15);
  static final PeerId ALICE = PeerId.of("did:key:alice");
  static final PeerId BOB = PeerId.of("did:key:bob");

  final List<AutoCloseable> resources = new ArrayList<>();
  MemorySignalHub hub;

  @BeforeEach
  void setUp() {
    NetNamespace.assumeInside();
    hub = new MemorySignalHub();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  WebRtcTransport transport(PeerId self, WebRtcConfig config, RecordingListener listener) {
    WebRtcTransport transport = WebRtcTransport.create(self, hub.endpoint(self), config);
    resources.add(transport::close);
    transport.start(listener);
    return transport;
  }

  static byte[] numbered(int n, int size) {
    return ByteBuffer.allocate(Math.max(4, size)).putInt(n).array();
  }

  @Test
  void opensChannelAndDeliversMessagesBothWaysInOrder() {
    RecordingListener aliceEvents = new RecordingListener();
    RecordingListener bobEvents = new RecordingListener();
    WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
    WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
    alice.connect(BOB);
    bob.connect(ALICE);
    Await.until(OPEN, () -> aliceEvents.connected.contains(BOB)
        && bobEvents.connected.contains(ALICE), "both sides report the channel open");
    assertTrue(alice.isConnected(BOB));

    int count = 1000;
    for (int i = 0; i < count; i++) {
      assertTrue(alice.send(BOB, numbered(i, 64)), "send " + i + " to bob");
      assertTrue(bob.send(ALICE, numbered(i, 100)), "send " + i + " to alice");
    }
    Await.until(OPEN, () -> bobEvents.received.size() == count
        && aliceEvents.received.size() == count, "every message arrives");
    for (int i = 0; i < count; i++) {
      RecordingListener.Received atBob = bobEvents.received.get(i);
      assertEquals(ALICE, atBob.from());
      assertEquals(64, atBob.message().length);
      assertEquals(i, ByteBuffer.wrap(atBob.message()).getInt(), "order at bob");
      assertEquals(i, ByteBuffer.wrap(aliceEvents.received.get(i).message()).getInt(),
          "order at alice");
    }
    assertFalse(aliceEvents.overlappingOrForeignThread, "callbacks on one thread");
    assertTrue(aliceEvents.errors.isEmpty(), () -> "no errors: " + aliceEvents.errors);
  }
}
