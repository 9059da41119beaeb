package dev.ensemble.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.transport.PeerId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A hostile signaling server for tests: a WebSocket proxy on 127.0.0.1 in front of a real
 * signaling server, so that peers really prove their identity, join and relay through it, while
 * the proxy sees and keeps every frame ({@link #frames()}, the relay's packet log) and hands each
 * relayed data frame on its way to its addressee to a {@link Tap} that may alter, hold, repeat or
 * drop it. {@link #inject} sends a peer a frame the server never relayed.
 */
final class TamperingRelay extends WebSocketServer implements AutoCloseable {

    /** What the relay does with one data frame on its way to the addressee: the frames it delivers. */
    interface Tap {
        List<RelayFrame> onFrame(RelayFrame frame);
    }

    static final Tap HONEST = List::of;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI upstream;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final Map<PeerId, WebSocket> byPeer = new ConcurrentHashMap<>();
    private final Map<WebSocket, Upstream> links = new ConcurrentHashMap<>();
    private volatile Tap tap = HONEST;
    /**
     * Closes one side of a link when the other closed. Java-WebSocket calls onClose holding that
     * connection's lock, and close() takes the other's: closing across from the callback thread
     * deadlocked the proxy when both sides closed at once (the server's selector and the
     * client's read thread each holding one lock and waiting for the other).
     */
    private final ExecutorService closer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tampering-relay-closer");
        thread.setDaemon(true);
        return thread;
    });

    TamperingRelay(URI upstream) throws InterruptedException {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.upstream = upstream;
        setReuseAddr(true);
        start();
        if (!started.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the tampering relay did not start listening within 20 s");
        }
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + getPort() + "/");
    }

    void tap(Tap tap) {
        this.tap = tap;
    }

    /** Every frame that passed, text and binary, in either direction, as UTF-8 or raw bytes. */
    List<byte[]> frames() {
        return frames;
    }

    /** Sends {@code frame} to its addressee's connection as if the server had relayed it. */
    void inject(RelayFrame frame) {
        WebSocket connection = byPeer.get(frame.to());
        if (connection == null) {
            throw new AssertionError("no connection of " + frame.to() + " passes through the relay");
        }
        deliver(connection, frame.encode());
    }

    @Override
    public void onOpen(WebSocket downstream, ClientHandshake handshake) {
        Upstream link = new Upstream(downstream);
        links.put(downstream, link);
        try {
            if (!link.connectBlocking(10, TimeUnit.SECONDS)) {
                downstream.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            downstream.close();
        }
    }

    @Override
    public void onMessage(WebSocket downstream, String message) {
        frames.add(message.getBytes(UTF_8));
        try {
            JsonNode json = JSON.readTree(message);
            if ("hello".equals(json.path("type").asText())) {
                byPeer.put(PeerId.parse(json.path("peerId").asText()), downstream);
            }
        } catch (Exception e) {
            // Not JSON or not a hello: forwarded unchanged, the server judges it.
        }
        Upstream link = links.get(downstream);
        if (link != null && link.isOpen()) {
            link.send(message);
        }
    }

    @Override
    public void onMessage(WebSocket downstream, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        frames.add(bytes);
        Upstream link = links.get(downstream);
        if (link != null && link.isOpen()) {
            link.send(bytes);
        }
    }

    @Override
    public void onClose(WebSocket downstream, int code, String reason, boolean remote) {
        Upstream link = links.remove(downstream);
        if (link != null) {
            closeLater(link::close);
        }
        byPeer.values().remove(downstream);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void close() throws InterruptedException {
        for (Upstream link : links.values()) {
            link.close();
        }
        stop(1000);
        closer.shutdownNow();
    }

    private void closeLater(Runnable close) {
        try {
            closer.execute(close);
        } catch (RejectedExecutionException relayClosed) {
            // The relay is closing: stop() closes every connection itself.
        }
    }

    private void deliver(WebSocket downstream, byte[] bytes) {
        if (downstream.isOpen()) {
            downstream.send(bytes);
            FakeServer.flush(this, downstream);
        }
    }

    /** The proxy's connection to the real server on behalf of one peer. */
    private final class Upstream extends WebSocketClient {
        private final WebSocket downstream;

        Upstream(WebSocket downstream) {
            super(upstream);
            this.downstream = downstream;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {
            frames.add(message.getBytes(UTF_8));
            if (downstream.isOpen()) {
                downstream.send(message);
                FakeServer.flush(TamperingRelay.this, downstream);
            }
        }

        @Override
        public void onMessage(ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            frames.add(bytes);
            RelayFrame frame;
            try {
                frame = RelayFrame.decode(ByteBuffer.wrap(bytes));
            } catch (MalformedMessageException e) {
                deliver(downstream, bytes);
                return;
            }
            for (RelayFrame out : tap.onFrame(frame)) {
                deliver(downstream, out.encode());
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            int forwarded = code == 1005 || code == 1006 ? 1000 : code;
            closeLater(() -> downstream.close(forwarded, reason));
        }

        @Override
        public void onError(Exception ex) {}
    }
}
