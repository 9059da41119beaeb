package dev.ensemble.signaling.server;

import dev.ensemble.transport.OwnerThread;
import java.time.Duration;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings every connection once per idle-timeout period and closes one that has not answered a ping for
 * 1.5 periods, as Java-WebSocket's own lost-connection check does, but spread over the period.
 *
 * <p>Why: the library pings all connections in one burst every period. With 2,000 connections that
 * burst lifted the relay's fan-out p99 from 8 ms to 160–554 ms (BENCHMARKS.md, "Signaling server").
 * Here the period is cut into {@link #TICK}s and each tick handles the connections whose number falls in
 * that slice: with the default 30 s, 300 slices, so 2,000 connections get about 7 pings every 100 ms.
 *
 * <p>Threading: one thread of its own ({@code signaling-keepalive}); it reads the server's connection
 * list (a copy) and each {@link Connection}'s volatile {@code lastPongNanos}, which the WebSocket threads
 * write; pings and closes may be sent from any thread.
 */
final class KeepAlive {

    /** How often a slice of the connections is handled. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private final WebSocketServer server;
    private final Duration period;
    private final long lostAfterNanos;
    private final int slices;
    private final OwnerThread thread;
    /** Keep-alive thread only. */
    private long ticks;

    KeepAlive(WebSocketServer server, Duration period) {
        this.server = server;
        this.period = period;
        this.lostAfterNanos = period.toNanos() * 3 / 2;
        this.slices = (int) Math.max(1, period.toNanos() / TICK.toNanos());
        this.thread = OwnerThread.start("signaling-keepalive");
    }

    void start() {
        thread.scheduleAtFixedRate(TICK, TICK, this::tick);
    }

    void stop() {
        thread.close();
    }

    private void tick() {
        int slice = (int) (ticks++ % slices);
        long now = System.nanoTime();
        for (WebSocket socket : server.getConnections()) {
            Connection connection = socket.getAttachment();
            if (connection == null || Math.floorMod(connection.id, slices) != slice || !socket.isOpen()) {
                continue;
            }
            if (now - connection.lastPongNanos > lostAfterNanos) {
                log.info(
                        "{}: no pong for {} ms; closing",
                        connection.describe(),
                        (now - connection.lastPongNanos) / 1_000_000);
                ((WebSocketImpl) socket)
                        .closeConnection(
                                CloseFrame.ABNORMAL_CLOSE,
                                "no pong within " + lostAfterNanos / 1_000_000 + " ms (keep-alive period "
                                        + period.toMillis() + " ms)");
            } else {
                connection.ping();
            }
        }
    }
}
