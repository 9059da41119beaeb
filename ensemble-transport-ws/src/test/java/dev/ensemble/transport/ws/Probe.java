package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A hand-driven signaling client for tests: it sends exactly what the test says (a forged hello,
 * a raw frame) and records what the server answers, so tests can act as a hostile or crashing
 * peer next to real transports.
 */
final class Probe extends WebSocketClient implements AutoCloseable {
    private static final long WAIT_SECONDS = 20;

    final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binary = new LinkedBlockingQueue<>();
    volatile int closeCode = Integer.MIN_VALUE;

    private Probe(URI uri) {
        super(uri);
    }

    /** Connects and waits for the server's challenge. */
    static Probe connect(URI uri) throws InterruptedException {
        Probe probe = new Probe(uri);
        if (!probe.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("probe could not connect to " + uri);
        }
        return probe;
    }

    /** Connects and completes the handshake as {@code identity}. */
    static Probe welcomed(URI uri, PeerIdentity identity) throws InterruptedException {
        Probe probe = connect(uri);
        ServerMessage.Challenge challenge = probe.next(ServerMessage.Challenge.class);
        probe.sendMessage(Handshake.hello(identity, challenge.nonce()));
        probe.next(ServerMessage.Welcome.class);
        return probe;
    }

    void sendMessage(ClientMessage message) {
        send(SignalingCodec.encode(message));
    }

    /** The next control message, which must be of {@code type}. */
    <T extends ServerMessage> T next(Class<T> type) throws InterruptedException {
        ServerMessage message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no " + type.getSimpleName() + " from the server within " + WAIT_SECONDS + " s");
        return assertInstanceOf(type, message, "expected " + type.getSimpleName());
    }

    /** Completes the handshake with a fresh identity, then joins a room and waits for the answer. */
    void roundTrip() throws InterruptedException {
        ServerMessage.Challenge challenge = next(ServerMessage.Challenge.class);
        sendMessage(Handshake.hello(PeerIdentity.generate(), challenge.nonce()));
        next(ServerMessage.Welcome.class);
        sendMessage(new ClientMessage.Join("probe-room", null));
        assertEquals("probe-room", next(ServerMessage.Joined.class).room());
    }

    /** Closes the TCP socket without a WebSocket close frame, as a crashing peer would. */
    void drop() throws IOException {
        getSocket().close();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {
        try {
            received.add(SignalingCodec.decodeServerMessage(message));
        } catch (MalformedMessageException e) {
            throw new AssertionError("the server sent a malformed message: " + message, e);
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        binary.add(copy);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
    }

    @Override
    public void onError(Exception ex) {}
}
