package dev.ensemble.transport.ws.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Start and close of a direct transport, alone and racing each other, with real sockets on 127.0.0.1. */
class DirectTransportLifecycleTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final Backoff FAST = Backoff.of(Duration.ofMillis(5), Duration.ofMillis(50), 0.0);
    private static final int ITERATIONS = 150;
    /** The threads a transport, its server and its clients start (Java-WebSocket names its own). */
    private static final List<String> TRANSPORT_THREADS =
            List.of("ensemble-direct-", "WebSocket", "connectionLostChecker");

    @Test
    void closeRacingStartLeavesNoBoundPortNoThreadAndNoConnection() throws Exception {
        try (DirectTransport bob = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build())) {
            bob.start(new Recorder());
            URI bobUri = URI.create("ws://127.0.0.1:" + bob.port() + "/");
            int port = freePort();
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            ExecutorService racers = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < ITERATIONS; i++) {
                    DirectTransport alice = DirectTransport.create(DirectTransportConfig.builder(ALICE)
                            .listen("127.0.0.1", port)
                            .dial(bobUri, BOB.peerId())
                            .backoff(FAST)
                            .build());
                    CountDownLatch go = new CountDownLatch(1);
                    Future<?> starting = racers.submit(() -> {
                        go.await();
                        try {
                            alice.start(new Recorder());
                        } catch (IllegalStateException closedFirst) {
                            assertTrue(closedFirst.getMessage().contains("is closed"), closedFirst.getMessage());
                        }
                        return null;
                    });
                    Future<?> closing = racers.submit(() -> {
                        go.await();
                        alice.close();
                        return null;
                    });
                    go.countDown();
                    starting.get(30, TimeUnit.SECONDS);
                    closing.get(30, TimeUnit.SECONDS);
                    assertPortFree(port, "iteration " + i + ": after start and close returned");
                }
            } finally {
                racers.shutdownNow();
                assertTrue(racers.awaitTermination(30, TimeUnit.SECONDS), "racing threads end");
            }
            Await.until(
                    "no thread of a closed transport lives on",
                    () -> transportThreads(before).isEmpty(),
                    () -> transportThreads(before));
            Await.until(
                    "bob keeps no connection of a closed transport",
                    () -> bob.connectedPeers().isEmpty());
            assertPortFree(port, "at the end");
        }
    }

    @Test
    void startAfterCloseFailsSayingTheTransportIsClosed() throws Exception {
        int port = freePort();
        DirectTransport alice = DirectTransport.create(
                DirectTransportConfig.builder(ALICE).listen("127.0.0.1", port).build());
        alice.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> alice.start(new Recorder()));
        assertEquals(
                "this DirectTransport (" + ALICE.peerId() + ") is closed; a closed transport cannot be started"
                        + " again: create a new one",
                error.getMessage());
        assertPortFree(port, "after start was refused");
        assertThrows(IllegalStateException.class, alice::port);
    }

    @Test
    void startTwiceFailsSayingItIsStarted() {
        try (DirectTransport alice = DirectTransport.create(
                DirectTransportConfig.builder(ALICE).listen("127.0.0.1", 0).build())) {
            alice.start(new Recorder());
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> alice.start(new Recorder()));
            assertEquals(
                    "a DirectTransport can be started once; this one (" + ALICE.peerId() + ") is started already",
                    error.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    /** Binds the port as a listener would; Linux refuses that while another socket listens there. */
    private static void assertPortFree(int port, String when) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            fail(when + ": port " + port + " is still bound (" + e + ")");
        }
    }

    private static Set<String> transportThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> TRANSPORT_THREADS.stream().anyMatch(name::startsWith))
                .collect(Collectors.toSet());
    }
}
