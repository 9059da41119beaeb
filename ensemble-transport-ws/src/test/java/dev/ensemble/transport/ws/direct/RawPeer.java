package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A hand-driven client of a listening direct transport: it sends exactly what a test says (garbage,
 * a forged proof, an oversized frame, nothing at all) and records what the node answers and the code
 * it closes with.
 */
final class RawPeer extends WebSocketClient implements AutoCloseable {
    private static final long WAIT_SECONDS = 20;

    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    volatile int closeCode = Integer.MIN_VALUE;
    volatile String closeReason;

    private RawPeer(URI uri) {
        super(uri);
    }

    static RawPeer connect(int port) throws InterruptedException {
        RawPeer peer = new RawPeer(URI.create("ws://127.0.0.1:" + port + "/"));
        if (!peer.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("raw peer could not connect to port " + port);
        }
        return peer;
    }

    /**
     * Connects to a node that may refuse the connection as soon as it is open: returns once the
     * connection opened or closed. {@link #connect} would fail on a refusal that arrives right after
     * the upgrade, since the client then reports the connection as not open.
     */
    static RawPeer connectMaybeRefused(int port) throws InterruptedException {
        RawPeer peer = new RawPeer(URI.create("ws://127.0.0.1:" + port + "/"));
        peer.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS);
        return peer;
    }

    /**
     * Like {@link #connectMaybeRefused}, from the local address {@code localHost} (another loopback
     * address, 127.0.0.2, is another address to the node while still this machine).
     */
    static RawPeer connectFrom(String localHost, int port) throws InterruptedException {
        RawPeer peer = new RawPeer(URI.create("ws://127.0.0.1:" + port + "/"));
        peer.setSocketFactory(new BoundSocketFactory(localHost));
        peer.connectBlocking(WAIT_SECONDS, TimeUnit.SECONDS);
        return peer;
    }

    /** Makes unconnected sockets bound to one local address; the client connects them. */
    private static final class BoundSocketFactory extends SocketFactory {
        private final String localHost;

        BoundSocketFactory(String localHost) {
            this.localHost = localHost;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(localHost, 0));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("the client connects an unconnected socket");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException("the client connects an unconnected socket");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException("the client connects an unconnected socket");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException("the client connects an unconnected socket");
        }
    }

    /** The next binary frame from the node. */
    byte[] next() throws InterruptedException {
        byte[] frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame from the node within " + WAIT_SECONDS + " s; closed " + closeCode);
        }
        return frame;
    }

    /**
     * Runs the dialer's side of the handshake: hello as {@code claimed}, proof signed by {@code signer}
     * (the same identity for an honest peer). Returns the node's id from its hello.
     */
    PeerId handshake(PeerId claimed, PeerIdentity signer) throws InterruptedException {
        byte[] nonce = new byte[DirectHandshake.NONCE_BYTES];
        nonce[0] = 7;
        send(DirectHandshake.hello(claimed, nonce));
        byte[] hello = next();
        PeerId node = DirectHandshake.helloKey(hello);
        byte[] body = DirectHandshake.transcriptBody(claimed, nonce, node, DirectHandshake.helloNonce(hello));
        send(DirectHandshake.proof(signer, DirectHandshake.ROLE_DIALER, body));
        byte[] proof = next();
        if (!DirectHandshake.verify(node, DirectHandshake.ROLE_LISTENER, body, proof)) {
            throw new AssertionError("the node's proof does not verify with the key of its hello " + node);
        }
        return node;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        received.add(copy);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeReason = reason;
        closeCode = code;
    }

    @Override
    public void onError(Exception ex) {}
}
