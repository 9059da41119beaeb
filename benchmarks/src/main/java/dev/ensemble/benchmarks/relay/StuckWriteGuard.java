package dev.ensemble.benchmarks.relay;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * Re-requests write interest for connections of a Java-WebSocket 1.6.0 server whose queued frames
 * would otherwise wait for an unrelated socket event.
 *
 * <p>Why: {@code WebSocketServer.doWrite} (selector thread) drains a connection's {@code outQueue}
 * and then resets the key's interest to read-only; a worker that queues a frame and asks for write
 * interest in between loses its request. The comparator servers of this suite send from
 * {@code onMessage}, exactly the pattern that hits it, so without this guard their p99 would measure
 * the race instead of the server. The signaling server has its own guard, so both sides are guarded.
 *
 * <p>How: senders call {@link #wrote()}; while frames were sent recently, a daemon thread looks at
 * every connection each {@code interval} and calls {@code onWriteDemand} for any whose queue is not
 * empty but whose key does not ask for {@code OP_WRITE}. With nothing sent it naps until woken.
 * The comparator servers hold one or two connections, so a full scan costs nothing.
 */
final class StuckWriteGuard {

    private final WebSocketServer server;
    private final long intervalNanos;
    /** Set by any sender, cleared by the guard thread when it starts a scan. */
    private final AtomicBoolean written = new AtomicBoolean();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean napping;
    /** Written by the guard thread only. */
    private volatile long rearms;

    StuckWriteGuard(WebSocketServer server, Duration interval) {
        this.server = server;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, "echo-write-guard");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** Records that a frame was just queued. Any thread. */
    void wrote() {
        written.set(true);
        if (napping) {
            LockSupport.unpark(thread);
        }
    }

    /** How many times a lost write demand was re-requested. */
    long rearms() {
        return rearms;
    }

    private void run() {
        boolean queued = false;
        while (running) {
            if (!queued && !written.get()) {
                napping = true;
                if (!written.get()) {
                    LockSupport.parkNanos(this, 100 * intervalNanos);
                }
                napping = false;
            } else {
                LockSupport.parkNanos(this, intervalNanos);
            }
            written.set(false);
            queued = false;
            for (WebSocket socket : server.getConnections()) {
                queued |= rearmIfStuck(socket);
            }
        }
    }

    /** Returns true while the connection still has queued frames. */
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
                rearms++;
            }
        } catch (CancelledKeyException e) {
            return false;
        }
        return true;
    }
}
