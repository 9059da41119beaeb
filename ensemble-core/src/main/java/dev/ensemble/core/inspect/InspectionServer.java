package dev.ensemble.core.inspect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link Inspector} on a Unix-domain socket of this machine, one {@link
 * InspectionSession} per connection: the local attach of {@code ensemble-shell --pid PID}.
 *
 * <pre>{@code
 * try (InspectionServer server = InspectionServer.start(inspector, "piano", InspectionAccess.READ)) {
 *     System.err.println("attach with: ensemble-shell --pid " + ProcessHandle.current().pid());
 *     ...
 * }
 * }</pre>
 *
 * <h2>Lines</h2>
 *
 * Bytes in are UTF-8 lines ending in {@code \n} (a {@code \r} before it is dropped); each non-empty
 * line goes to {@link InspectionSession#request}. Each line the session gives its sink goes out with
 * a {@code \n}. The server itself answers only what the session cannot see (docs/SHELL.md,
 * "Protocol"): a line above {@link #MAX_LINE_BYTES} gets a {@code too-large} error and is discarded
 * up to its end, a line that is not UTF-8 gets a {@code bad-request} error; the connection stays
 * open in both cases. Both errors carry the request's {@code id} when the line starts with it
 * ({@code {"id":7,...}}), else {@code "id":null}. The end of the client's input ends the connection
 * and closes the session, even if the client only shut down its sending half: a shell keeps the
 * connection open for as long as it waits for replies and streams.
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li>At most {@link #MAX_CONNECTIONS} connections at once; one more is sent a single {@code busy}
 *       error line and closed.
 *   <li>A client that does not read: its outgoing lines wait in memory up to {@link
 *       #MAX_QUEUED_BYTES}; the line that would pass that bound closes the connection (logged as a
 *       warning) instead of waiting, so that whoever calls the sink is never held up.
 * </ul>
 *
 * <h2>Who may connect</h2>
 *
 * Only this process's user. The socket is bound inside the owner-only directory of {@link
 * InspectionSockets}: {@code bind} creates the socket file with the permissions of the process's
 * umask (often {@code rwxr-xr-x}) and Java cannot bind with other permissions, so between {@code
 * bind} and the {@code chmod} that follows it the file may briefly be open to others; the directory
 * (which they cannot enter) is what keeps them out during that window. The file is still made
 * {@code rw-------} so that it stays private if it is moved or the directory is loosened. Last,
 * where the platform reports the peer of a connection ({@code SO_PEERCRED}, Linux and macOS), a
 * connection from another user is closed at once: with {@link #start(Inspector, Path,
 * InspectionAccess)} in a directory that others can enter, that check is what covers the window.
 *
 * <h2>Stale sockets</h2>
 *
 * A socket file at the path that nobody answers (the process that bound it died without closing;
 * its pid, the file name's prefix, is usually gone) is replaced. One that answers belongs to a live
 * server, and starting fails with an {@code IOException} naming the path. Any other kind of file
 * there is never deleted: starting fails.
 *
 * <h2>Lifecycle and clean-up</h2>
 *
 * {@link #close()} stops accepting, closes every connection and its session, and deletes the
 * socket file (only if it is still the one this server bound). A shutdown hook deletes the file
 * when the JVM exits without {@code close()}; it does nothing else (the actors may be stopping at
 * that point, so it does not talk to sessions), and {@code close()} removes it. A process killed
 * outright leaves the file, which the next server at that path treats as stale.
 *
 * <h2>Threading</h2>
 *
 * <ul>
 *   <li>{@link #start} binds and returns; {@link #socket()} and {@link #close()} are thread-safe,
 *       and {@code close()} is idempotent and returns when every session has been closed.
 *   <li>One acceptor thread, {@code ensemble-inspect-SYSTEM-accept}, owns the listening socket.
 *   <li>Each connection N has two threads: {@code ensemble-inspect-SYSTEM-N-read} reads lines and
 *       calls {@link InspectionSession#request} (so requests of one connection run one at a time,
 *       in order), and closes the session when the client goes away; {@code
 *       ensemble-inspect-SYSTEM-N-write} owns the writing end and writes queued lines. The sink
 *       only queues a line and returns; it never blocks and never calls back into the session.
 *   <li>All threads are daemons: an open server does not keep the JVM alive. At most {@code 1 + 2 *}
 *       {@link #MAX_CONNECTIONS} of them; a connection's threads end with it.
 * </ul>
 */
public final class InspectionServer implements AutoCloseable {
    /** Longest request line, in bytes, without its terminator: 1 MiB, the protocol's limit. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /** Most outgoing bytes waiting for one client before its connection is closed: 4 MiB. */
    public static final long MAX_QUEUED_BYTES = 4L << 20;

    /** Most connections served at once. */
    public static final int MAX_CONNECTIONS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(InspectionServer.class);

    /** How long the acceptor pauses after a failed accept. */
    private static final long ACCEPT_RETRY_PAUSE_NANOS = 100_000_000L;

    /** Sockets served by this JVM: a second server at one of them would unlink the first one's file. */
    private static final Set<Path> SERVED = ConcurrentHashMap.newKeySet();

    private final Inspector inspector;
    private final InspectionAccess access;
    private final Path socket;
    private final String systemName;
    private final Limits limits;
    private final ServerSocketChannel server;
    /** The socket file's identity (device and inode), so that close deletes only the file bound here. */
    private final Object fileKey;

    private final UserPrincipal owner;
    private final Thread acceptor;
    private final Thread shutdownHook;
    private final Set<InspectionServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private final Object lifecycle = new Object();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;

    /** The limits of one server; tests make them small. */
    record Limits(int maxLineBytes, long maxQueuedBytes, int maxConnections) {
        static final Limits DEFAULT = new Limits(MAX_LINE_BYTES, MAX_QUEUED_BYTES, MAX_CONNECTIONS);
    }

    private InspectionServer(
            Inspector inspector,
            InspectionAccess access,
            Path socket,
            String systemName,
            Limits limits,
            ServerSocketChannel server,
            Object fileKey,
            UserPrincipal owner) {
        this.inspector = inspector;
        this.access = access;
        this.socket = socket;
        this.systemName = systemName;
        this.limits = limits;
        this.server = server;
        this.fileKey = fileKey;
        this.owner = owner;
        this.acceptor = new Thread(this::acceptLoop, threadPrefix() + "accept");
        this.acceptor.setDaemon(true);
        this.shutdownHook = new Thread(this::deleteSocketFile, threadPrefix() + "shutdown");
    }

    /**
     * Serves {@code inspector} at {@link InspectionSockets#socketFor} this process and {@code
     * systemName}, creating {@link InspectionSockets#directory()} first.
     *
     * @param inspector answers the requests
     * @param systemName the inspected system's name, part of the socket's name
     * @param localAccess what every session of this socket may do
     * @return the running server
     * @throws IOException if the directory is unsafe or cannot be created, another server answers at
     *     the path, or the socket cannot be bound
     * @throws IllegalArgumentException if the path is too long for a Unix-domain socket
     */
    public static InspectionServer start(Inspector inspector, String systemName, InspectionAccess localAccess)
            throws IOException {
        Objects.requireNonNull(systemName, "systemName");
        Path socket = InspectionSockets.socketFor(ProcessHandle.current().pid(), systemName);
        InspectionSockets.createDirectory();
        return start(inspector, socket, systemName, localAccess, Limits.DEFAULT);
    }

    /**
     * Serves {@code inspector} at {@code socket}. Its directory must exist, and should be readable
     * only by its owner (see "Who may connect" above).
     *
     * @param inspector answers the requests
     * @param socket where to bind; at most {@link InspectionSockets#MAX_PATH_BYTES} bytes
     * @param localAccess what every session of this socket may do
     * @return the running server
     * @throws IOException if another server answers at the path, something that is not a socket is
     *     there, or the socket cannot be bound
     * @throws IllegalArgumentException if the path is too long for a Unix-domain socket
     */
    public static InspectionServer start(Inspector inspector, Path socket, InspectionAccess localAccess)
            throws IOException {
        Objects.requireNonNull(socket, "socket");
        return start(inspector, socket, systemNameOf(socket), localAccess, Limits.DEFAULT);
    }

    static InspectionServer start(
            Inspector inspector, Path socket, String systemName, InspectionAccess localAccess, Limits limits)
            throws IOException {
        Objects.requireNonNull(inspector, "inspector");
        Objects.requireNonNull(localAccess, "localAccess");
        Path path = socket.toAbsolutePath();
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > InspectionSockets.MAX_PATH_BYTES) {
            throw new IllegalArgumentException("inspection socket path " + path + " is " + length
                    + " bytes; Unix-domain sockets allow at most " + InspectionSockets.MAX_PATH_BYTES
                    + " (choose a shorter directory)");
        }
        if (!SERVED.add(path)) {
            throw new IOException("inspection socket " + path
                    + " is already served by this process (two inspected systems with one name?)");
        }
        boolean started = false;
        try {
            replaceIfStale(path);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            boolean boundHere = false;
            try {
                try {
                    server.bind(UnixDomainSocketAddress.of(path));
                } catch (IOException e) {
                    throw new IOException("cannot bind the inspection socket " + path + ": " + e.getMessage(), e);
                }
                boundHere = true;
                // The window between bind and this chmod is covered by the owner-only directory and the
                // peer check on accept (class comment, "Who may connect").
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                BasicFileAttributes bound =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
                InspectionServer inspection = new InspectionServer(
                        inspector, localAccess, path, systemName, limits, server, bound.fileKey(), owner);
                inspection.begin();
                started = true;
                return inspection;
            } finally {
                if (!started) {
                    server.close();
                    if (boundHere) {
                        Files.deleteIfExists(path); // never a file another server bound meanwhile
                    }
                }
            }
        } finally {
            if (!started) {
                SERVED.remove(path);
            }
        }
    }

    private void begin() {
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already; nothing to clean up after
        }
        acceptor.start();
        LOG.info("inspection of system {} listening on {} (access {})", systemName, socket, access);
    }

    /** @return the socket's path (absolute) */
    public Path socket() {
        return socket;
    }

    /** @return connections open now; for tests */
    int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection and its session, and deletes the socket file.
     * Idempotent; thread-safe. Returns when every session has been closed.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the inspection socket {} of system {}", socket, systemName, e);
        }
        List<InspectionServerConnection> open = new ArrayList<>(connections);
        for (InspectionServerConnection connection : open) {
            connection.close();
        }
        for (InspectionServerConnection connection : open) {
            connection.awaitSessionClosed();
        }
        deleteSocketFile();
        SERVED.remove(socket);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; it only deletes the file, as above
        }
        LOG.info("inspection of system {} on {} closed ({} connection(s) ended)", systemName, socket, open.size());
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.warn("inspection socket {} of system {}: accept failed; still listening", socket, systemName, e);
                // e.g. out of file descriptors: pause rather than spin on an error that repeats at once
                LockSupport.parkNanos(ACCEPT_RETRY_PAUSE_NANOS);
                continue;
            }
            admit(channel);
        }
    }

    private void admit(SocketChannel channel) {
        String refusal = refusalOf(channel);
        if (refusal != null) {
            refuse(channel, refusal);
            return;
        }
        InspectionServerConnection connection;
        synchronized (lifecycle) {
            if (closed) {
                closeQuietly(channel);
                return;
            }
            if (connections.size() >= limits.maxConnections()) {
                connection = null;
            } else {
                connection = new InspectionServerConnection(
                        this, channel, threadPrefix() + connectionNumbers.incrementAndGet() + "-", limits);
                connections.add(connection);
            }
        }
        if (connection == null) {
            LOG.warn(
                    "inspection socket {} of system {}: refused a connection, {} are open (the limit)",
                    socket,
                    systemName,
                    limits.maxConnections());
            refuse(
                    channel,
                    ProtocolLines.error(
                            null,
                            "busy",
                            "too many inspection connections (at most " + limits.maxConnections()
                                    + "); close one and attach again"));
            return;
        }
        connection.start(inspector, access);
    }

    /** @return an error line for a peer of another user, or null to admit the connection */
    private String refusalOf(SocketChannel channel) {
        UnixDomainPrincipal peer;
        try {
            if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                return null;
            }
            peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("inspection socket {}: no peer credentials", socket, e);
            return null;
        }
        String refusal = refusal(peer.user(), owner);
        if (refusal != null) {
            LOG.warn(
                    "inspection socket {} of system {}: refused a connection from user {}; only {} may attach",
                    socket,
                    systemName,
                    peer.user().getName(),
                    owner.getName());
        }
        return refusal;
    }

    /**
     * @param peer the user of the connecting process
     * @param owner the user who owns the socket file (this process's)
     * @return the error line that refuses the peer, or null if it may attach
     */
    static String refusal(UserPrincipal peer, UserPrincipal owner) {
        if (peer.equals(owner)) {
            return null;
        }
        return ProtocolLines.error(
                null, "forbidden", "user " + peer.getName() + " may not attach; only " + owner.getName() + " may");
    }

    /** Sends one line without waiting for the client to read it, then closes. */
    private static void refuse(SocketChannel channel, String line) {
        try {
            channel.configureBlocking(false);
            channel.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ignored) {
            // the client learns of the refusal by the connection closing
        }
        closeQuietly(channel);
    }

    /** Called by a connection once it has closed its session. */
    void ended(InspectionServerConnection connection) {
        connections.remove(connection);
    }

    String systemName() {
        return systemName;
    }

    private String threadPrefix() {
        return "ensemble-inspect-" + InspectionSockets.safeName(systemName) + "-";
    }

    private void deleteSocketFile() {
        try {
            BasicFileAttributes now =
                    Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(now.fileKey(), fileKey)) {
                Files.deleteIfExists(socket);
            } else {
                LOG.warn("inspection socket {} of system {} was replaced by another file; left it", socket, systemName);
            }
        } catch (NoSuchFileException gone) {
            // deleted already (by someone cleaning the directory, or by the shutdown hook)
        } catch (IOException e) {
            LOG.warn("could not delete the inspection socket {} of system {}", socket, systemName, e);
        }
    }

    /**
     * Deletes a socket file at {@code path} that nobody answers; fails if somebody does, or if the file
     * is not a socket.
     */
    private static void replaceIfStale(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException free) {
            return;
        }
        if (!attributes.isOther()) {
            throw new IOException("cannot serve inspection at " + path + ": a file that is not a socket is there"
                    + " (remove it or choose another path)");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException refused) {
            LOG.info("replacing the stale inspection socket {} ({})", path, ownerOf(path));
            Files.deleteIfExists(path);
            return;
        } catch (IOException e) {
            throw new IOException("cannot serve inspection at " + path + ": probing the socket there failed: " + e, e);
        }
        throw new IOException(
                "cannot serve inspection at " + path + ": another server answers there (" + ownerOf(path) + ")");
    }

    /** Says whether the process named by a socket's file name ({@code PID-SYSTEM.sock}) runs. */
    private static String ownerOf(Path socket) {
        String name = socket.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash > 0) {
            try {
                long pid = Long.parseLong(name.substring(0, dash));
                boolean alive =
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                return "process " + pid + (alive ? " is running" : " is not running");
            } catch (NumberFormatException notAPid) {
                // a socket named by its user, not by InspectionSockets
            }
        }
        return "not named after a process";
    }

    /** {@code 4242-piano.sock} is system {@code piano}; another name is used as it is, without {@code .sock}. */
    static String systemNameOf(Path socket) {
        Path fileName = socket.getFileName();
        String name = fileName == null ? "socket" : fileName.toString();
        if (name.endsWith(".sock")) {
            name = name.substring(0, name.length() - ".sock".length());
        }
        int dash = name.indexOf('-');
        if (dash > 0 && name.substring(0, dash).chars().allMatch(Character::isDigit)) {
            name = name.substring(dash + 1);
        }
        return InspectionSockets.safeName(name);
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do with it
        }
    }
}
