package dev.ensemble.core.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of an {@link InspectionServer}: its session, a thread that reads its requests and a
 * thread that writes its replies.
 *
 * <p>Closing has two steps so that the sink can cut off a client without calling back into the
 * session that is calling it: {@link #disconnect()} only closes the channel (which does not wait for
 * the blocked reading and writing threads: they are woken with an error) and is safe from any thread;
 * {@link #close()} also closes the session and is called by the reading thread when its read fails,
 * and by the server when it closes.
 */
final class InspectionServerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InspectionServerConnection.class);

    /** Tells the writing thread to stop. */
    private static final byte[] STOP = new byte[0];

    /** Lines written with one system call at most. */
    private static final int WRITE_BATCH = 64;

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** How long the server's close waits for one session to close. */
    private static final long SESSION_CLOSE_WAIT_MS = 5_000;

    private final InspectionServer server;
    private final SocketChannel channel;
    private final String threadPrefix;
    private final InspectionServer.Limits limits;
    private final LinkedBlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();
    /** Bytes queued and not yet written; updated by the sink's callers and the writing thread. */
    private final AtomicLong queuedBytes = new AtomicLong();

    private final AtomicBoolean cutOff = new AtomicBoolean();
    private final CountDownLatch sessionClosed = new CountDownLatch(1);

    private final Object state = new Object();
    /** Written under {@link #state}; read without it by the sink, to drop lines after the end. */
    private volatile boolean closed;
    /** Guarded by {@link #state}: the open session, null before it opens and after it closed. */
    private InspectionSession session;

    InspectionServerConnection(
            InspectionServer server, SocketChannel channel, String threadPrefix, InspectionServer.Limits limits) {
        this.server = server;
        this.channel = channel;
        this.threadPrefix = threadPrefix;
        this.limits = limits;
    }

    /** Starts the two threads; the reading one opens the session (the acceptor never waits for it). */
    void start(Inspector inspector, InspectionAccess access) {
        if (closed) {
            sessionClosed.countDown();
            return;
        }
        Thread writer = new Thread(this::writeLoop, threadPrefix + "write");
        writer.setDaemon(true);
        Thread reader = new Thread(() -> readLoop(inspector, access), threadPrefix + "read");
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    /** The session's sink: queues the line and returns at once; cuts the client off past the bound. */
    private void send(String line) {
        if (closed || cutOff.get()) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        long queued = queuedBytes.addAndGet(bytes.length);
        if (queued > limits.maxQueuedBytes()) {
            queuedBytes.addAndGet(-bytes.length);
            if (cutOff.compareAndSet(false, true)) {
                LOG.warn(
                        "inspection socket {} of system {}: a client does not read its replies ({} bytes waiting, at"
                                + " most {}); closing its connection",
                        server.socket(),
                        server.systemName(),
                        queued - bytes.length,
                        limits.maxQueuedBytes());
            }
            disconnect();
            return;
        }
        outgoing.offer(bytes);
    }

    private void readLoop(Inspector inspector, InspectionAccess access) {
        try {
            InspectionSession opened = open(inspector, access);
            if (opened == null) {
                return;
            }
            InspectionServerLines lines =
                    new InspectionServerLines(limits.maxLineBytes(), line -> request(opened, line), this::send);
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                lines.feed(buffer);
                buffer.clear();
            }
            LOG.debug("inspection client of system {} on {} went away", server.systemName(), server.socket());
        } catch (IOException e) {
            // the client went away, the server closed, or the sink cut the client off
            LOG.debug(
                    "inspection connection of system {} on {} ended: {}",
                    server.systemName(),
                    server.socket(),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.error("inspection connection of system {} on {} failed", server.systemName(), server.socket(), e);
        } finally {
            close();
        }
    }

    /** @return the session, or null if it could not be opened or the connection closed meanwhile */
    private InspectionSession open(Inspector inspector, InspectionAccess access) {
        InspectionSession opened;
        try {
            opened = inspector.open(access, this::send);
        } catch (RuntimeException e) {
            LOG.error(
                    "inspection of system {} on {}: the inspector failed to open a session",
                    server.systemName(),
                    server.socket(),
                    e);
            sessionClosed.countDown();
            return null;
        }
        synchronized (state) {
            if (!closed) {
                session = opened;
                return opened;
            }
        }
        closeSession(opened);
        return null;
    }

    private void request(InspectionSession opened, String line) {
        try {
            opened.request(line);
        } catch (RuntimeException e) {
            // the contract says it never throws; keep the connection for the next request all the same
            LOG.error(
                    "inspection session of system {} on {} threw on a request",
                    server.systemName(),
                    server.socket(),
                    e);
        }
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>(WRITE_BATCH);
        try {
            while (true) {
                batch.add(outgoing.take());
                outgoing.drainTo(batch, WRITE_BATCH - 1);
                int stop = batch.indexOf(STOP);
                List<byte[]> lines = stop < 0 ? batch : batch.subList(0, stop);
                write(lines);
                if (stop >= 0) {
                    return;
                }
                batch.clear();
            }
        } catch (IOException e) {
            LOG.debug(
                    "inspection connection of system {} on {}: write failed: {}",
                    server.systemName(),
                    server.socket(),
                    e.toString());
            disconnect(); // the reading thread notices and closes the session
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
        }
    }

    private void write(List<byte[]> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        ByteBuffer[] buffers = new ByteBuffer[lines.size()];
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(lines.get(i));
            total += buffers[i].remaining();
        }
        long written = 0;
        while (written < total) {
            written += channel.write(buffers);
        }
        queuedBytes.addAndGet(-total);
    }

    /**
     * Closes the channel and stops the writing thread; the reading thread then fails and closes the
     * session. Never blocks on the network and never calls the session: safe from a sink.
     */
    void disconnect() {
        InspectionServer.closeQuietly(channel);
        outgoing.offer(STOP);
    }

    /** Closes the channel and the session; idempotent. */
    void close() {
        InspectionSession toClose;
        boolean first;
        synchronized (state) {
            first = !closed;
            closed = true;
            toClose = session;
            session = null;
        }
        disconnect();
        if (toClose != null) {
            closeSession(toClose);
        }
        if (first) {
            server.ended(this);
        }
    }

    private void closeSession(InspectionSession closing) {
        try {
            closing.close();
        } catch (RuntimeException e) {
            LOG.warn("inspection session of system {} on {} failed to close", server.systemName(), server.socket(), e);
        } finally {
            sessionClosed.countDown();
        }
    }

    /** Waits, bounded, until the session is closed; for the server's close. */
    void awaitSessionClosed() {
        try {
            if (!sessionClosed.await(SESSION_CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "inspection session of system {} on {} did not close within {} ms",
                        server.systemName(),
                        server.socket(),
                        SESSION_CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
