package dev.ensemble.shell;

import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.InspectionSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Attaches to a process on this machine through its Unix-domain inspection socket ({@link
 * InspectionSockets}), which only its user can open: the operating system checks who attaches.
 *
 * <p>One daemon thread per attachment reads the process's lines; requests are written by the
 * calling thread. Reads and writes use the channel directly, never the stream adapters of {@code
 * Channels}, whose read and write share one lock (a blocked read would hold up every request).
 */
public final class LocalSocketAttacher implements Attacher {
    /** Longest line accepted from the process: the protocol's 1 MiB, and a little room for the terminator. */
    static final int MAX_LINE_BYTES = (1 << 20) + 2;

    private final Path socket;

    private LocalSocketAttacher(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    /**
     * @param socket the inspection socket
     * @return an attacher to it
     */
    public static LocalSocketAttacher forSocket(Path socket) {
        return new LocalSocketAttacher(socket);
    }

    /**
     * Finds the inspection socket of a process in {@link InspectionSockets#directory()}.
     *
     * @param pid the process
     * @return an attacher to its one socket
     * @throws AttachException if it has none (inspection off, or not an ensemble process), or
     *     several (the message lists them, to pick one with {@code --socket})
     */
    public static LocalSocketAttacher forPid(long pid) throws AttachException {
        List<Path> sockets;
        try {
            sockets = InspectionSockets.socketsOf(pid);
        } catch (IOException e) {
            throw new AttachException(
                    "cannot read the inspection socket directory " + InspectionSockets.directory() + ": " + e, e);
        }
        if (sockets.isEmpty()) {
            throw new AttachException("no inspection socket for process " + pid
                    + "; is inspection enabled (the piano: without --no-inspect)?");
        }
        if (sockets.size() > 1) {
            throw new AttachException("process " + pid + " has " + sockets.size()
                    + " inspected systems; choose one with --socket PATH:\n"
                    + sockets.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        }
        return new LocalSocketAttacher(sockets.get(0));
    }

    @Override
    public String describe() {
        return socket.toString();
    }

    @Override
    public InspectionSession attach(Consumer<String> lines, Consumer<String> disconnected) throws AttachException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new AttachException("cannot open a Unix-domain socket: " + e.getMessage(), e);
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            closeQuietly(channel);
            if (!Files.exists(socket)) {
                throw new AttachException("no inspection socket at " + socket, e);
            }
            throw new AttachException(
                    "cannot connect to " + socket + ": " + e.getMessage()
                            + " (the process may have exited, or the socket belongs to another user)",
                    e);
        }
        Connection connection = new Connection(channel, lines, disconnected);
        Thread reader = new Thread(connection::readLoop, "ensemble-shell-reader");
        reader.setDaemon(true);
        reader.start();
        return connection;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do with it
        }
    }

    /** One connection: the reader thread's loop, and the session that writes requests. */
    private static final class Connection implements InspectionSession {
        private final SocketChannel channel;
        private final Consumer<String> lines;
        private final Consumer<String> disconnected;
        private final AtomicBoolean closed = new AtomicBoolean();

        Connection(SocketChannel channel, Consumer<String> lines, Consumer<String> disconnected) {
            this.channel = channel;
            this.lines = lines;
            this.disconnected = disconnected;
        }

        void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            String reason = "the process closed the connection";
            try {
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        if (b == '\n') {
                            lines.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else if (line.size() >= MAX_LINE_BYTES) {
                            reason = "the process sent a line longer than 1 MiB";
                            return;
                        } else {
                            line.write(b);
                        }
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                reason = "the connection to the process failed: " + e.getMessage();
            } finally {
                closeQuietly(channel);
                if (closed.compareAndSet(false, true)) {
                    disconnected.accept(reason);
                }
            }
        }

        @Override
        public void request(String line) {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                synchronized (this) {
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                }
            } catch (IOException e) {
                // The reader sees the same failure and reports the disconnection; a request line
                // has no other way to fail (InspectionSession#request never throws).
                closeQuietly(channel);
            }
        }

        @Override
        public void close() {
            closed.set(true);
            closeQuietly(channel);
        }
    }
}
