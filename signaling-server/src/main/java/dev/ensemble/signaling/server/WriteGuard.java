package dev.ensemble.signaling.server;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * Makes sure no queued frame stays unsent.
 *
 * <p>Why: in Java-WebSocket 1.6.0, {@code WebSocketServer.doWrite} (selector thread) drains a connection's
 * {@code outQueue} and then sets the key's interest to {@code OP_READ}. A worker that enqueues a frame and
 * calls {@code onWriteDemand} (interest {@code OP_READ|OP_WRITE}) between the drain and that reset loses
 * its write demand: the frame waits until some unrelated socket event, possibly forever.
 *
 * <p>How: every send records its connection here. A dedicated thread, every {@code interval}, takes each
 * recorded connection out of the set and looks at it; if its {@code outQueue} is not empty and its key
 * does not ask for {@code OP_WRITE}, it calls the server's own {@code onWriteDemand} again (which sets the
 * interest and wakes the selector). A connection whose queue is not empty yet is put back and looked at
 * again next time, so a reset that races with this check is caught on the next round. A send that
 * happens after the check records the connection again, after it was taken out, so nothing is missed.
 * Every {@value #FULL_SWEEP_ROUNDS} rounds it also sweeps all connections, for frames the library queues
 * by itself (pongs, close frames). When nothing was sent recently it sleeps until the next send.
 *
 * <p>Everything used is public API of Java-WebSocket 1.6.0: {@code WebSocketImpl.outQueue},
 * {@code getSelectionKey()} and {@code WebSocketServer.onWriteDemand}. {@code SelectionKey.interestOps} may be
 * called from any thread.
 */
final class WriteGuard {

    private static final int FULL_SWEEP_ROUNDS = 100;

    private final WebSocketServer server;
    private final ServerMetrics metrics;
    private final long intervalNanos;
    private final Set<WebSocket> recent = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean idle = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    WriteGuard(WebSocketServer server, ServerMetrics metrics, Duration interval) {
        this.server = server;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, "signaling-write-guard");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** Records that a frame was just queued on {@code socket}. Any thread; cheap. */
    void wrote(WebSocket socket) {
        recent.add(socket);
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long sweepIntervalNanos = intervalNanos * FULL_SWEEP_ROUNDS;
        long lastSweep = System.nanoTime();
        List<WebSocket> stillQueued = new ArrayList<>();
        while (running) {
            if (recent.isEmpty()) {
                // Announce the nap before the last look, so a concurrent wrote() either is seen here or unparks us.
                idle.set(true);
                if (recent.isEmpty()) {
                    LockSupport.parkNanos(this, sweepIntervalNanos);
                }
                idle.set(false);
            } else {
                LockSupport.parkNanos(this, intervalNanos);
            }
            Iterator<WebSocket> iterator = recent.iterator();
            while (iterator.hasNext()) {
                WebSocket socket = iterator.next();
                iterator.remove();
                if (rearmIfStuck(socket)) {
                    stillQueued.add(socket);
                }
            }
            // Re-added after the pass: adding during it could make the iterator meet the same socket again.
            recent.addAll(stillQueued);
            stillQueued.clear();
            long now = System.nanoTime();
            if (now - lastSweep >= sweepIntervalNanos) {
                lastSweep = now;
                for (WebSocket socket : server.getConnections()) {
                    rearmIfStuck(socket);
                }
            }
        }
    }

    /** Returns true if the connection still has queued frames (so it must be looked at again). */
    private boolean rearmIfStuck(WebSocket socket) {
        if (!(socket instanceof WebSocketImpl impl) || impl.isClosed() || impl.outQueue.isEmpty()) {
            return false;
        }
        SelectionKey key = impl.getSelectionKey();
        if (key == null) {
            return true;
        }
        try {
            if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0 && !impl.outQueue.isEmpty()) {
                server.onWriteDemand(impl);
                metrics.writeGuardRearmed();
            }
        } catch (CancelledKeyException e) {
            return false;
        }
        return true;
    }
}
