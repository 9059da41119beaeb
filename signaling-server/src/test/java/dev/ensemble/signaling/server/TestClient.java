package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A real WebSocket client for tests: records every frame the server sends, in order, and waits for them
 * with deadlines.
 */
final class TestClient implements AutoCloseable {

    /** What the server closed the connection with. */
    record Closed(int code, String reason, boolean remote) {}

    private final Client client;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private volatile Closed closed;
    private volatile Consumer<Object> listener;
    /** When each WebSocket ping from the server arrived ({@code System.nanoTime()}). */
    final List<Long> pings = new CopyOnWriteArrayList<>();

    final PeerIdentity identity;
    String nonce;

    private TestClient(URI uri, PeerIdentity identity, boolean answerPings) {
        this.identity = identity;
        this.client = new Client(uri, answerPings);
        client.setConnectionLostTimeout(0);
        client.setTcpNoDelay(true);
    }

    /** Connects and reads the challenge, without answering it. */
    static TestClient connect(URI uri) throws InterruptedException {
        return connect(uri, PeerIdentity.generate(), true);
    }

    static TestClient connect(URI uri, PeerIdentity identity, boolean answerPings) throws InterruptedException {
        TestClient test = new TestClient(uri, identity, answerPings);
        if (!test.client.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new AssertionError("could not connect to " + uri);
        }
        test.nonce = test.expect(ServerMessage.Challenge.class).nonce();
        return test;
    }

    /** Connects and completes the handshake. */
    static TestClient verified(URI uri) throws InterruptedException {
        return verified(uri, PeerIdentity.generate());
    }

    static TestClient verified(URI uri, PeerIdentity identity) throws InterruptedException {
        TestClient test = connect(uri, identity, true);
        test.send(Handshake.hello(identity, test.nonce));
        ServerMessage.Welcome welcome = test.expect(ServerMessage.Welcome.class);
        assertEquals(identity.peerId(), welcome.peerId());
        return test;
    }

    /** Joins and returns the joined answer. */
    ServerMessage.Joined join(String room) throws InterruptedException {
        send(new ClientMessage.Join(room, null));
        return expect(ServerMessage.Joined.class);
    }

    /**
     * Joins {@code room} and waits until this client knows every peer in {@code present}: listed in
     * {@code joined}, or announced by {@code peer-joined} right after it. On one server {@code joined}
     * lists them all; on a cluster a peer that joined on another node a moment ago may reach this
     * node's view of the room through Redis just after (docs/DEPLOYMENT.md), and then comes as a
     * {@code peer-joined}. Anything else in between fails the test.
     *
     * @return every peer this client now knows in the room: those {@code joined} listed, then those
     *     announced after it
     */
    List<PeerId> joinKnowing(String room, TestClient... present) throws InterruptedException {
        List<PeerId> known = new ArrayList<>(join(room).peers());
        for (TestClient peer : present) {
            if (!known.contains(peer.identity.peerId())) {
                ServerMessage.PeerJoined announced = expect(ServerMessage.PeerJoined.class);
                assertEquals(new ServerMessage.PeerJoined(room, peer.identity.peerId()), announced);
                known.add(announced.peerId());
            }
        }
        return known;
    }

    void send(ClientMessage message) {
        client.send(SignalingCodec.encode(message));
    }

    void sendText(String text) {
        client.send(text);
    }

    void sendBinary(byte[] frame) {
        client.send(frame);
    }

    /**
     * Hands every later frame to {@code listener} on the client's thread instead of queueing it (for load
     * tests that must not buffer).
     */
    void onReceive(Consumer<Object> listener) {
        this.listener = listener;
    }

    /** The next frame the server sent: a {@link ServerMessage} or a {@code byte[]}. */
    Object next(Duration timeout) throws InterruptedException {
        Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no frame within " + timeout.toMillis() + " ms; closed=" + closed);
        }
        return next;
    }

    /** The next frame, which must be a {@code T}. */
    <T> T expect(Class<T> type) throws InterruptedException {
        Object next = next(Await.DEFAULT_TIMEOUT);
        if (!type.isInstance(next)) {
            fail("expected " + type.getSimpleName() + " but got " + next);
        }
        return type.cast(next);
    }

    /** The next frame, which must be an error with {@code code}; returns its message. */
    String expectError(ErrorCode code) throws InterruptedException {
        ServerMessage.Error error = expect(ServerMessage.Error.class);
        assertEquals(code.code(), error.code(), () -> "error message: " + error.message());
        return error.message();
    }

    /** Skips frames until one of type {@code T} matching {@code test} arrives. */
    <T> T awaitMessage(Class<T> type, Predicate<T> test) throws InterruptedException {
        long deadline = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object next = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + type.getSimpleName() + " matching the test within "
                        + Await.DEFAULT_TIMEOUT.toMillis() + " ms; closed=" + closed);
            }
            if (type.isInstance(next) && test.test(type.cast(next))) {
                return type.cast(next);
            }
        }
    }

    /** Asserts nothing more arrives within {@code quiet}. */
    void expectNothing(Duration quiet) throws InterruptedException {
        Object next = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (next != null) {
            fail("expected no frame but got " + next);
        }
    }

    Closed awaitClosed() {
        Await.until("the connection to close", () -> closed != null);
        return closed;
    }

    Closed closed() {
        return closed;
    }

    boolean isOpen() {
        return client.isOpen();
    }

    /** Drops the TCP connection without a close handshake, as a crashed peer would. */
    void drop() throws IOException {
        client.getSocket().close();
    }

    @Override
    public void close() throws InterruptedException {
        client.closeBlocking();
    }

    void assertOpen() {
        assertTrue(client.isOpen(), () -> "expected the connection to stay open but it closed: " + closed);
    }

    private final class Client extends WebSocketClient {
        private final boolean answerPings;

        Client(URI uri, boolean answerPings) {
            super(uri);
            this.answerPings = answerPings;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {
            ServerMessage decoded;
            try {
                decoded = SignalingCodec.decodeServerMessage(message);
            } catch (MalformedMessageException e) {
                throw new AssertionError("server sent an invalid frame: " + message, e);
            }
            deliver(decoded);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            deliver(copy);
        }

        private void deliver(Object frame) {
            Consumer<Object> current = listener;
            if (current != null) {
                current.accept(frame);
            } else {
                received.add(frame);
            }
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata frame) {
            pings.add(System.nanoTime());
            if (answerPings) {
                super.onWebsocketPing(conn, frame);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed = new Closed(code, reason, remote);
        }

        @Override
        public void onError(Exception ex) {}
    }
}
