package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.transport.PeerId;
import dev.ensemble.collab.transport.TransportListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round trip, open time and throughput of two transports in one JVM (inside netns-run). Off by
 * default; run with {@code -Densemble.webrtc.bench=true}. Prints its numbers; asserts only that
 * the run completed. The WebSocket relay comparison belongs to the benchmarks module.
 */
class WebRtcBenchmarkTest {

  static final PeerId ALICE = PeerId.of("did:key:alice");
  static final PeerId BOB = PeerId.of("did:key:bob");
  static final Duration STEP = Duration.ofSeconds(15);

  @BeforeEach
  void enabledAndInsideNamespace() {
    Assumptions.assumeTrue(Boolean.getBoolean("ensemble.webrtc.bench"),
        "benchmarks run with -Densemble.webrtc.bench=true");
    NetNamespace.assumeInside();
  }

  @Test
  void measuresRoundTripOpenTimeAndThroughput() throws Exception {
    try (MemorySignalHub hub = new MemorySignalHub()) {
      BlockingQueue<byte[]> echoes = new ArrayBlockingQueue<>(16);
      AtomicLong bytesAtBob = new AtomicLong();
      RecordingListener aliceState = new RecordingListener();
      TransportListener aliceEvents = new TransportListener() {
        @Override
        public void onPeerConnected(PeerId peer) {
          aliceState.onPeerConnected(peer);
        }

        @Override
        public void onPeerDisconnected(PeerId peer, String reason) {
          aliceState.onPeerDisconnected(peer, reason);
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
          echoes.add(message);
        }
      };
      WebRtcTransport alice = WebRtcTransport.create(ALICE, hub.endpoint(ALICE),
          WebRtcConfig.defaults());
      WebRtcTransport bob = WebRtcTransport.create(BOB, hub.endpoint(BOB),
          WebRtcConfig.defaults());
      RecordingListener bobEvents = new RecordingListener();
      try {
        alice.start(aliceEvents);
        bob.start(new TransportListener() {
          @Override
          public void onPeerConnected(PeerId peer) {
            bobEvents.onPeerConnected(peer);
          }

          @Override
          public void onPeerDisconnected(PeerId peer, String reason) {
            bobEvents.onPeerDisconnected(peer, reason);
          }

          @Override
          public void onMessage(PeerId from, byte[] message) {
            if (message.length == 64) {
              bob.send(from, message);
            } else {
              bytesAtBob.addAndGet(message.length);
            }
          }
        });

        int opens = 50;
        long[] openMicros = new long[opens];
        for (int i = 0; i < opens; i++) {
          long start = System.nanoTime();
          alice.connect(BOB);
          bob.connect(ALICE);
          Await.until(STEP, () -> aliceState.connected.contains(BOB)
              && bobEvents.connected.contains(ALICE), "open");
          openMicros[i] = (System.nanoTime() - start) / 1000;
          if (i < opens - 1) {
            alice.disconnect(BOB);
            bob.disconnect(ALICE);
            Await.until(STEP, () -> !aliceState.connected.contains(BOB)
                && !bobEvents.connected.contains(ALICE), "close");
          }
        }

        int warmUp = 5_000;
        int rounds = 50_000;
        long[] rtt = new long[rounds];
        for (int i = 0; i < warmUp + rounds; i++) {
          byte[] ping = ByteBuffer.allocate(64).putInt(i).array();
          long start = System.nanoTime();
          assertTrue(alice.send(BOB, ping));
          byte[] pong = echoes.poll(5, TimeUnit.SECONDS);
          long took = System.nanoTime() - start;
          assertTrue(pong != null && ByteBuffer.wrap(pong).getInt() == i, "echo " + i);
          if (i >= warmUp) {
            rtt[i - warmUp] = took / 1000;
          }
        }

        byte[] block = new byte[64 * 1024];
        long total = 256L * 1024 * 1024;
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
          if (alice.send(BOB, block)) {
            sent += block.length;
          } else {
            Thread.onSpinWait();
          }
        }
        Await.until(Duration.ofSeconds(60), () -> bytesAtBob.get() == total, "all bytes arrive");
        double seconds = (System.nanoTime() - start) / 1e9;

        Arrays.sort(rtt);
        Arrays.sort(openMicros);
        System.out.printf("webrtc bench (one JVM, two transports): round trip 64 B: p50 %d us,"
            + " p99 %d us, p99.9 %d us, max %d us (%d rounds); channel open: p50 %.1f ms, p95"
            + " %.1f ms (%d opens); throughput %.1f MB/s (64 KiB messages, %d MiB)%n",
            pct(rtt, 50), pct(rtt, 99), pct(rtt, 99.9), rtt[rtt.length - 1], rounds,
            pct(openMicros, 50) / 1000.0, pct(openMicros, 95) / 1000.0, opens,
            total / 1e6 / seconds, total >> 20);
      } finally {
        alice.close();
        bob.close();
      }
    }
  }

  static long pct(long[] sorted, double percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
