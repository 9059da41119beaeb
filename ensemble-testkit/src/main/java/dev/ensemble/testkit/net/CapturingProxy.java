package dev.ensemble.testkit.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on 127.0.0.1 that keeps every byte it passes, in both directions: the packet capture
 * of a test that must show what an eavesdropper on the wire (or the server itself) could read. The
 * bytes are kept as they travel, so a WebSocket client's frames are masked and only what the
 * server sends is readable as is; a test that looks for plaintext there reads what the server
 * relayed, which is what the server saw.
 *
 * <pre>{@code
 * try (CapturingProxy wire = CapturingProxy.to(new InetSocketAddress("127.0.0.1", serverPort))) {
 *     URI through = URI.create("ws://127.0.0.1:" + wire.port());   // the clients connect here
 *     ...
 *     assertFalse(wire.contains("Clara"), "the relay carried a player's name in clear");
 * }
 * }</pre>
 *
 * <p>Thread-safe: a thread accepts, and two daemon threads per connection copy; {@link #contains}
 * and {@link #size} may be called from any thread while they run.
 */
public final class CapturingProxy implements AutoCloseable {
    /** More than any test here sends; past it the capture stops, and {@link #contains} says so. */
    private static final int MAX_CAPTURED = 64 << 20;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    /** Guarded by itself: one stream per connection and direction, each in the order it passed. */
    private final List<ByteArrayOutputStream> captured = new ArrayList<>();
    /** Guarded by {@link #captured}. */
    private int total;
    /** Guarded by {@link #captured}. */
    private boolean overflowed;
    /** Guarded by itself: every socket, closed by {@link #close()}. */
    private final List<Socket> sockets = new ArrayList<>();

    private CapturingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "capturing-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts listening on 127.0.0.1 at a free port.
     *
     * @param target where each accepted connection is passed on to
     * @return the proxy, accepting
     * @throws IOException if it cannot listen
     */
    public static CapturingProxy to(InetSocketAddress target) throws IOException {
        return new CapturingProxy(target);
    }

    /** @return the port clients connect to */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return how many bytes passed so far, both directions */
    public int size() {
        synchronized (captured) {
            return total;
        }
    }

    /**
     * @param text what to look for, encoded as UTF-8
     * @return whether those bytes passed, in one direction of one connection
     * @throws IllegalStateException if more passed than the capture keeps, so the answer is unknown
     */
    public boolean contains(String text) {
        byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
        synchronized (captured) {
            if (overflowed) {
                throw new IllegalStateException("more than " + MAX_CAPTURED + " bytes passed; the capture stopped");
            }
            // ISO-8859-1 maps each byte to one char, so a byte search is a string search.
            String needle = new String(wanted, StandardCharsets.ISO_8859_1);
            for (ByteArrayOutputStream stream : captured) {
                if (stream.toString(StandardCharsets.ISO_8859_1).contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                server.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                copy(client, server, "up");
                copy(server, client, "down");
            } catch (IOException refused) {
                closeQuietly(client);
            }
        }
    }

    private void copy(Socket from, Socket to, String direction) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        synchronized (captured) {
            captured.add(stream);
        }
        Thread copier = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            record(stream, buffer, n);
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ended) {
                        // one side closed: the other follows below
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "capturing-proxy-" + direction + "-" + from.getPort());
        copier.setDaemon(true);
        copier.start();
    }

    private void record(ByteArrayOutputStream stream, byte[] buffer, int length) {
        synchronized (captured) {
            if (total + length > MAX_CAPTURED) {
                overflowed = true;
            } else if (!overflowed) {
                stream.write(buffer, 0, length);
                total += length;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (sockets) {
            sockets.forEach(CapturingProxy::closeQuietly);
        }
    }
}
