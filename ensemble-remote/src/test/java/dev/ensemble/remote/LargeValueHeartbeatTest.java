package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node busy sending a value of {@code maxValueSize} over a slow link is not declared down by its
 * peer: its heartbeats wait behind the value's chunks, but the chunks themselves are signs of life.
 * Over direct connections on 127.0.0.1, each way slowed to 6 MB/s in 64 KiB messages (as WebRTC's),
 * with a detector that declares a silent node down about 1.1 s after its last frame: the value takes
 * about 2.8 s each way.
 */
class LargeValueHeartbeatTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final int BYTES_PER_SECOND = 6_000_000;
    private static final int MESSAGE = 64 * 1024;
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration PAUSE = Duration.ofMillis(500);

    private static RemoteActors node(ActorSystem system, Transport transport) {
        return RemoteActors.builder(system, new ThrottledTransport(transport, MESSAGE, BYTES_PER_SECOND))
                .types(SimNodes.TYPES)
                .heartbeatInterval(HEARTBEAT)
                .acceptableHeartbeatPause(PAUSE)
                .askTimeout(Duration.ofSeconds(60))
                .start();
    }

    @Test
    void aNodeSendingAValueOfMaxValueSizeIsNotDeclaredDownByItsPeer() throws Exception {
        DirectTransport transportB = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build());
        try (ActorSystem systemB = ActorSystem.builder("b")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem systemA = ActorSystem.builder("a").start();
                RemoteActors b = node(systemB, transportB);
                RemoteActors a = node(
                        systemA,
                        DirectTransport.create(DirectTransportConfig.builder(ALICE)
                                .dial(URI.create("ws://127.0.0.1:" + transportB.port() + "/"), BOB.peerId())
                                .build()))) {
            b.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
            Await.until("alice and bob see each other up", () -> a.isUp(BOB.peerId()) && b.isUp(ALICE.peerId()));
            ActorClient<CounterActions, Tally> counter = a.client(BOB.peerId(), Counter.TOKEN);

            // Just below the default maxValueSize (16 MiB) once encoded, there and back.
            String big = "z".repeat(RemoteActors.DEFAULT_MAX_VALUE_SIZE - 64 * 1024);
            long start = System.nanoTime();
            String back = counter.actions().describe(big).get(60, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(big.length(), back.length());
            assertTrue(
                    tookMs > 2_000,
                    "the value took " + tookMs + " ms, so heartbeats waited far longer than the detector's bound");
            assertEquals(0, b.stats().nodesDown(), () -> "bob declared alice down: " + b.stats());
            assertEquals(0, a.stats().nodesDown(), () -> "alice declared bob down: " + a.stats());
            assertEquals(0, counter.actions().total().get(10, TimeUnit.SECONDS));
        }
    }
}
