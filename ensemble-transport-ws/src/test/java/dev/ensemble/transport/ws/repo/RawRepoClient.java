package dev.ensemble.transport.ws.repo;

import dev.ensemble.collab.repo.RepoCodec;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.testkit.Await;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A WebSocket client that sends whatever a test gives it, well-formed or not, and keeps what the
 * server answers (decoded) and how it closed: the hostile client of the server tests.
 */
final class RawRepoClient extends WebSocketClient {
    private static final RepoCodec CODEC = RepoCodec.standard();

    final List<RepoMessage> received = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;

    RawRepoClient(URI uri) {
        super(uri);
    }

    /** Connects, waiting for the handshake. */
    static RawRepoClient connect(URI uri) throws InterruptedException {
        RawRepoClient client = new RawRepoClient(uri);
        if (!client.connectBlocking()) {
            throw new IllegalStateException("could not connect to " + uri);
        }
        return client;
    }

    void send(RepoMessage message) {
        send(CODEC.encode(message));
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] frame = new byte[bytes.remaining()];
        bytes.get(frame);
        received.add(CODEC.decode(frame));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeReason = reason;
        closeCode = code;
    }

    @Override
    public void onError(Exception ex) {}

    /** Waits for the close and returns its code. */
    int awaitClose() {
        return Await.value("the server closes the connection", () -> closeCode);
    }

    /** Every error message's text. */
    List<String> errors() {
        return received.stream()
                .filter(m -> m instanceof RepoMessage.ErrorMessage)
                .map(m -> ((RepoMessage.ErrorMessage) m).message())
                .toList();
    }
}
