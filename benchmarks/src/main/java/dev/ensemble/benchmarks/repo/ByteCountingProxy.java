package dev.ensemble.benchmarks.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one server that counts the bytes passing each way: what a
 * client sends (up) and what the server sends back (down), WebSocket framing and the HTTP upgrade
 * included, so the count is the same whichever server or client library is measured.
 *
 * <p>Two threads per connection copy the bytes; a connection ends when both directions have. The
 * counters are thread-safe; {@link #awaitIdle} lets the suite read them once the client's
 * connections are over.
 */
final class ByteCountingProxy implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread acceptor;

    private ByteCountingProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = new Thread(this::accept, "repo-proxy-accept");
        this.acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free port of 127.0.0.1 that forwards to {@code targetPort} there. */
    static ByteCountingProxy start(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket listener = new ServerSocket(0, 50, loopback);
        ByteCountingProxy proxy = new ByteCountingProxy(listener, new InetSocketAddress(loopback, targetPort));
        proxy.acceptor.start();
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes clients sent to the server so far. */
    long bytesUp() {
        return up.get();
    }

    /** Bytes the server sent to clients so far. */
    long bytesDown() {
        return down.get();
    }

    /**
     * Waits until no connection is open (both directions closed), so that the counters are final.
     *
     * @return false if some connection was still open at the deadline
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (open) {
            while (open.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                open.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                server.connect(target, 10_000);
                // Small messages go out at once through the proxy, as they would without it.
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            open.addAndGet(2);
            AtomicInteger directions = new AtomicInteger(2);
            pump(client, server, up, directions, "repo-proxy-up");
            pump(server, client, down, directions, "repo-proxy-down");
        }
    }

    /** Copies one direction; the last of a connection's two directions to end closes both sockets. */
    private void pump(Socket from, Socket to, AtomicLong counter, AtomicInteger directions, String name) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[BUFFER_BYTES];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            counter.addAndGet(n);
                        }
                        to.shutdownOutput();
                    } catch (IOException e) {
                        // One side went away: the other one is told by closing it.
                        closeQuietly(to);
                    } finally {
                        if (directions.decrementAndGet() == 0) {
                            closeQuietly(from);
                            closeQuietly(to);
                        }
                        synchronized (open) {
                            open.decrementAndGet();
                            open.notifyAll();
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to do with it.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
