package dev.ensemble.benchmarks.relay;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A Java-WebSocket client that hands every binary frame to a replaceable listener. The base of both
 * the relay clients and the echo clients, so both sides of a comparison receive the same way.
 *
 * <p>Threading: the listener runs on the client's read thread; {@link #onFrame} may be replaced from
 * any thread (it is volatile). {@code send} may be called from any thread.
 */
class BenchClient extends WebSocketClient {

    /** Completes when the client can carry benchmark traffic; fails if it closes before. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Receives binary frames on the read thread; the buffer is valid only during the call. */
    volatile Consumer<ByteBuffer> onFrame = frame -> {};
    /** Written by the read thread: why the connection closed, or null while open. */
    volatile String closedBecause;

    BenchClient(URI uri) {
        super(uri);
        setTcpNoDelay(true);
        // The library would start a timer thread per client for its own pings; the server pings anyway.
        setConnectionLostTimeout(0);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        ready.complete(null);
    }

    @Override
    public void onMessage(String text) {}

    @Override
    public void onMessage(ByteBuffer frame) {
        onFrame.accept(frame);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closedBecause = "closed with code " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        ready.completeExceptionally(new IllegalStateException(getURI() + ": " + closedBecause));
    }

    @Override
    public void onError(Exception error) {
        ready.completeExceptionally(error);
    }

    /**
     * Starts closing every client and waits until all are closed or {@code timeout} has passed.
     *
     * @return how many were still not closed at the deadline
     */
    static int closeAll(Collection<? extends BenchClient> clients, Duration timeout) {
        clients.forEach(BenchClient::close);
        long deadline = System.nanoTime() + timeout.toNanos();
        int open;
        do {
            open = (int) clients.stream()
                    .filter(c ->
                            c.getReadyState() != ReadyState.CLOSED && c.getReadyState() != ReadyState.NOT_YET_CONNECTED)
                    .count();
            if (open > 0) {
                LockSupport.parkNanos(10_000_000);
            }
        } while (open > 0 && System.nanoTime() < deadline);
        return open;
    }
}
