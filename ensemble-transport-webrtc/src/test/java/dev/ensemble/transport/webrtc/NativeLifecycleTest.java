package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.transport.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens, uses and closes many peer connections in one JVM: nothing crashes and native memory
 * stays bounded. {@code -Densemble.webrtc.cycles=N} changes the number of cycles (default 200).
 */
class NativeLifecycleTest {

  static final Duration STEP = Duration.ofSeconds(15);
  static final PeerId ALICE = PeerId.of("did:key:alice");
  static final PeerId BOB = PeerId.of("did:key:bob");
  static final int CYCLES = Integer.getInteger("ensemble.webrtc.cycles", 200);
  /** Bound on resident memory growth over the measured cycles. */
  static final long MAX_RSS_GROWTH_KB = 64 * 1024;

  @BeforeEach
  void insideNamespace() {
    NetNamespace.assumeInside();
  }

  @Test
  void survivesManyOpenExchangeCloseCyclesWithBoundedMemory() throws Exception {
    try (MemorySignalHub hub = new MemorySignalHub()) {
      RecordingListener aliceEvents = new RecordingListener();
      RecordingListener bobEvents = new RecordingListener();
      WebRtcTransport alice = WebRtcTransport.create(ALICE, hub.endpoint(ALICE),
          WebRtcConfig.defaults());
      WebRtcTransport bob = WebRtcTransport.create(BOB, hub.endpoint(BOB),
          WebRtcConfig.defaults());
      try {
        alice.start(aliceEvents);
        bob.start(bobEvents);
        int warmUp = 20;
        for (int i = 0; i < warmUp; i++) {
          cycle(i, alice, aliceEvents, bob, bobEvents);
        }
        System.gc();
        long before = rssKb();
        long heapBefore = heapCommittedKb();
        long started = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
          cycle(warmUp + i, alice, aliceEvents, bob, bobEvents);
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        System.gc();
        long after = rssKb();
        long heapGrowth = heapCommittedKb() - heapBefore;
        System.out.printf("webrtc lifecycle: %d open/exchange/close cycles in %d ms (%.1f ms"
            + " each); RSS %d KB -> %d KB, growth %d KB (%.1f KB per cycle), of which Java heap"
            + " committed %d KB%n", CYCLES, elapsedMs, (double) elapsedMs / CYCLES, before, after,
            after - before, (after - before) / (double) CYCLES, heapGrowth);
        assertTrue(after - before < MAX_RSS_GROWTH_KB, "RSS grew by " + (after - before)
            + " KB over " + CYCLES + " cycles, more than " + MAX_RSS_GROWTH_KB + " KB");
      } finally {
        alice.close();
        bob.close();
      }
    }
  }

  @Test
  void createsAndClosesWholeTransportsRepeatedly() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (MemorySignalHub hub = new MemorySignalHub()) {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = WebRtcTransport.create(ALICE, hub.endpoint(ALICE),
            WebRtcConfig.defaults());
        WebRtcTransport bob = WebRtcTransport.create(BOB, hub.endpoint(BOB),
            WebRtcConfig.defaults());
        alice.start(aliceEvents);
        bob.start(bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);
        int n = i;
        Await.until(STEP, () -> aliceEvents.connected.contains(BOB)
            && bobEvents.connected.contains(ALICE), "transport pair " + n + " connects");
        assertTrue(alice.send(BOB, new byte[1024]));
        Await.until(STEP, () -> bobEvents.received.size() == 1, "pair " + n + " exchanges");
        // Close while the channel is open and carrying data: the order that must not crash.
        bob.send(ALICE, new byte[60_000]);
        alice.close();
        bob.close();
      }
    }
  }

  static void cycle(int n, WebRtcTransport alice, RecordingListener aliceEvents,
      WebRtcTransport bob, RecordingListener bobEvents) {
    int receivedByAlice = aliceEvents.received.size();
    int receivedByBob = bobEvents.received.size();
    alice.connect(BOB);
    bob.connect(ALICE);
    Await.until(STEP, () -> aliceEvents.connected.contains(BOB)
        && bobEvents.connected.contains(ALICE), "cycle " + n + ": both sides connect");
    assertTrue(alice.send(BOB, new byte[512]), "cycle " + n + ": alice sends");
    assertTrue(bob.send(ALICE, new byte[512]), "cycle " + n + ": bob sends");
    Await.until(STEP, () -> aliceEvents.received.size() == receivedByAlice + 1
        && bobEvents.received.size() == receivedByBob + 1, "cycle " + n + ": both receive");
    alice.disconnect(BOB);
    bob.disconnect(ALICE);
    Await.until(STEP, () -> !aliceEvents.connected.contains(BOB)
        && !bobEvents.connected.contains(ALICE), "cycle " + n + ": both sides disconnect");
  }

  static long heapCommittedKb() {
    return Runtime.getRuntime().totalMemory() / 1024;
  }

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS line in /proc/self/status");
  }
}
