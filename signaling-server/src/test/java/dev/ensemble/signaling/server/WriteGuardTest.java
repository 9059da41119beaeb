package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Puts a server connection into the state Java-WebSocket 1.6.0's write race leaves behind (a frame in
 * {@code outQueue}, selection key interested in {@code OP_READ} only) and checks that the frame stays
 * stuck without the guard and is delivered with it.
 */
class WriteGuardTest {

    private final CountDownLatch started = new CountDownLatch(1);
    private final WebSocketServer server = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {}

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

        @Override
        public void onMessage(WebSocket conn, String message) {}

        @Override
        public void onError(WebSocket conn, Exception ex) {}

        @Override
        public void onStart() {
            started.countDown();
        }
    };
    private final ServerMetrics metrics = new ServerMetrics();
    private final WriteGuard guard = new WriteGuard(server, metrics, Duration.ofMillis(1));
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private WebSocketClient client;

    @AfterEach
    void tearDown() throws InterruptedException {
        guard.stop();
        if (client != null) {
            client.closeBlocking();
        }
        server.stop(1000);
    }

    private WebSocketImpl connectAndStrandAFrame(String text) throws InterruptedException {
        server.setConnectionLostTimeout(0);
        server.start();
        assertTrue(started.await(10, TimeUnit.SECONDS), "server did not start");
        client = new WebSocketClient(URI.create("ws://127.0.0.1:" + server.getPort())) {
            @Override
            public void onOpen(ServerHandshake handshake) {}

            @Override
            public void onMessage(String message) {
                received.add(message);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {}

            @Override
            public void onError(Exception ex) {}
        };
        client.setConnectionLostTimeout(0);
        assertTrue(client.connectBlocking(10, TimeUnit.SECONDS), "client did not connect");
        Await.until(
                "the server to register the connection",
                () -> server.getConnections().size() == 1);
        WebSocketImpl connection =
                (WebSocketImpl) server.getConnections().iterator().next();
        SelectionKey key = connection.getSelectionKey();
        Await.until(
                "the server to finish writing the handshake and drop its write interest",
                () -> connection.outQueue.isEmpty() && (key.interestOps() & SelectionKey.OP_WRITE) == 0);
        // Exactly what the race leaves: interest reset to read-only, then a frame queued whose demand was lost.
        key.interestOps(SelectionKey.OP_READ);
        for (Framedata frame : connection.getDraft().createFrames(text, false)) {
            ByteBuffer bytes = connection.getDraft().createBinaryFrame(frame);
            connection.outQueue.add(bytes);
        }
        return connection;
    }

    @Test
    void aFrameWhoseWriteDemandWasLostStaysQueuedWithoutTheGuard() throws InterruptedException {
        WebSocketImpl connection = connectAndStrandAFrame("stranded");
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "the frame should be stuck without a guard");
        assertTrue(!connection.outQueue.isEmpty(), "the frame should still be queued");
    }

    @Test
    void deliversAFrameWhoseWriteDemandWasLostWithinMilliseconds() throws InterruptedException {
        WebSocketImpl connection = connectAndStrandAFrame("rescued");
        guard.start();
        long start = System.nanoTime();
        guard.wrote(connection);
        assertEquals("rescued", received.poll(10, TimeUnit.SECONDS));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        Await.until("the guard to count its re-arm", () -> metrics.writeGuardRearms() >= 1);
        System.out.println("write guard delivered a stranded frame after " + elapsedMillis + " ms");
    }

    @Test
    void findsAStrandedFrameItWasNotToldAboutInItsFullSweep() throws InterruptedException {
        connectAndStrandAFrame("swept");
        guard.start();
        assertEquals("swept", received.poll(10, TimeUnit.SECONDS));
    }
}
