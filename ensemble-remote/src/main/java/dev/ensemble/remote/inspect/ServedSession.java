package dev.ensemble.remote.inspect;

import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.ProtocolLines;
import dev.ensemble.transport.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote shell's session on this node: the inspector's session, and the lines it wrote that the
 * shell has not taken yet. The shell takes them with polls, one outstanding at a time: a poll
 * answers at once when lines wait, else it waits for the next line or its time.
 *
 * <p>Threading: the inspector's sink, requests (transport callback thread), polls and the timeout
 * scheduler meet under {@code this}; futures are completed outside the lock on {@code executor},
 * since completing one sends its reply (encoding up to a batch of lines) and the sink must not be
 * held up.
 */
final class ServedSession {
    private static final Logger LOG = LoggerFactory.getLogger(ServedSession.class);
    /** Requests a session may have waiting for the inspector; more are answered {@code busy}. */
    static final int MAX_WAITING_REQUESTS = 256;

    final long id;
    final PeerId node;
    final InspectionAccess access;
    private final InspectionLimits limits;
    private final Executor executor;
    private final Executor requestExecutor;
    private final ScheduledExecutorService scheduler;
    /** Told once, when the session ends, with the reason. */
    private final java.util.function.BiConsumer<ServedSession, String> onEnded;

    // Guarded by this.
    /** Requests not yet handed to the inspector. */
    private final ArrayDeque<String> requests = new ArrayDeque<>();
    /** Whether a task is handing requests to the inspector. */
    private boolean handing;

    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private long waitingChars;
    private long droppedEvents;
    private CompletableFuture<List<String>> poll;
    private ScheduledFuture<?> pollTimeout;
    private String endedBecause;
    /** Set once open: requests before it cannot happen (the id is not known yet). */
    private InspectionSession inner;

    ServedSession(
            long id,
            PeerId node,
            InspectionAccess access,
            InspectionLimits limits,
            Executor executor,
            Executor requestExecutor,
            ScheduledExecutorService scheduler,
            java.util.function.BiConsumer<ServedSession, String> onEnded) {
        this.onEnded = onEnded;
        this.id = id;
        this.node = node;
        this.access = access;
        this.limits = limits;
        this.executor = executor;
        this.requestExecutor = requestExecutor;
        this.scheduler = scheduler;
    }

    void opened(InspectionSession session) {
        boolean ended;
        synchronized (this) {
            inner = session;
            ended = endedBecause != null;
        }
        if (ended) {
            session.close();
        }
    }

    /** The inspector's sink: keeps the line for the shell, or drops it if the shell reads too slowly. */
    void line(String line) {
        CompletableFuture<List<String>> answer = null;
        List<String> batch = null;
        String overflow = null;
        synchronized (this) {
            if (endedBecause != null) {
                return;
            }
            boolean full = waitingChars + line.length() > limits.maxBufferedBytes()
                    || waiting.size() >= limits.maxBufferedLines();
            if (full && InspectionLines.isEvent(line)) {
                droppedEvents++;
                if (droppedEvents == 1 || droppedEvents % 1000 == 0) {
                    LOG.debug(
                            "inspection session {} of node {}: {} stream events dropped, the shell reads too slowly",
                            id,
                            node.shortForm(),
                            droppedEvents);
                }
                return;
            }
            if (full
                    && (waitingChars + line.length() > 2L * limits.maxBufferedBytes()
                            || waiting.size() >= 2 * limits.maxBufferedLines())) {
                overflow = "the shell did not take its lines: " + waiting.size() + " lines (" + waitingChars
                        + " bytes) were waiting, more than twice the bound (" + limits.maxBufferedLines()
                        + " lines, " + limits.maxBufferedBytes() + " bytes)";
            } else {
                waiting.add(line);
                waitingChars += line.length();
                if (poll != null) {
                    answer = poll;
                    batch = take();
                    poll = null;
                    cancelTimeout();
                }
            }
        }
        if (overflow != null) {
            LOG.warn("inspection session {} of node {} closed: {}", id, node.shortForm(), overflow);
            end(overflow);
            return;
        }
        if (answer != null) {
            complete(answer, batch);
        }
    }

    /**
     * A request from the shell, on the transport's callback thread: input the inspector must not see
     * is answered here; the rest is queued and handed to the inspector on {@code requestExecutor},
     * one at a time and in order, so that an inspector that takes its time holds up this session
     * only, never the link.
     */
    void request(String received) {
        // As on the local socket: a \r that ended the line is dropped, and empty lines are ignored.
        String line = received.endsWith("\r") ? received.substring(0, received.length() - 1) : received;
        if (line.isBlank()) {
            return;
        }
        if (InspectionLines.longerThan(line, RemoteInspection.MAX_LINE_BYTES)) {
            line(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "too-large",
                    "the request is more than " + RemoteInspection.MAX_LINE_BYTES
                            + " bytes (the protocol's bound on a line); it was not read"));
            return;
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            line(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "bad-request",
                    "a request is one line: it may not contain a line break"));
            return;
        }
        boolean start = false;
        boolean full = false;
        synchronized (this) {
            if (endedBecause != null) {
                return;
            }
            if (requests.size() >= MAX_WAITING_REQUESTS) {
                full = true;
            } else {
                requests.add(line);
                if (!handing) {
                    handing = true;
                    start = true;
                }
            }
        }
        if (full) {
            line(ProtocolLines.error(
                    ProtocolLines.leadingId(line),
                    "busy",
                    MAX_WAITING_REQUESTS + " requests of this session are already waiting for the inspector; this"
                            + " one was not read"));
        } else if (start) {
            requestExecutor.execute(this::handRequests);
        }
    }

    private void handRequests() {
        while (true) {
            String next;
            InspectionSession session;
            synchronized (this) {
                next = requests.poll();
                session = inner;
                if (next == null || endedBecause != null || session == null) {
                    requests.clear();
                    handing = false;
                    return;
                }
            }
            try {
                session.request(next);
            } catch (RuntimeException e) {
                // The contract says request never throws; a broken inspector must not end the session.
                LOG.warn("inspection session {} of node {}: the inspector threw on a request", id, node.shortForm(), e);
                line(ProtocolLines.error(
                        ProtocolLines.leadingId(next), "failed", e.getClass().getName() + ": " + e.getMessage()));
            }
        }
    }

    /** The shell takes the waiting lines, or waits up to {@code waitMillis} for one. */
    CompletableFuture<List<String>> poll(long waitMillis) {
        CompletableFuture<List<String>> replaced;
        CompletableFuture<List<String>> next = new CompletableFuture<>();
        synchronized (this) {
            if (!waiting.isEmpty()) {
                return CompletableFuture.completedFuture(take());
            }
            if (endedBecause != null) {
                return CompletableFuture.failedFuture(new InspectionEndedException(endedBecause));
            }
            // One poll at a time: a new one (the shell gave up on the old) answers the old empty.
            replaced = poll;
            cancelTimeout();
            poll = next;
            if (waitMillis <= 0) {
                poll = null;
                next.complete(List.of());
            } else {
                pollTimeout = scheduler.schedule(() -> expire(next), waitMillis, TimeUnit.MILLISECONDS);
            }
        }
        if (replaced != null) {
            complete(replaced, List.of());
        }
        return next;
    }

    private void expire(CompletableFuture<List<String>> which) {
        synchronized (this) {
            if (poll != which) {
                return;
            }
            poll = null;
            pollTimeout = null;
        }
        complete(which, List.of());
    }

    /**
     * Ends the session: the inspector's session closes (its streams stop), lines still waiting are
     * kept for the shell's next poll, and the poll after them fails with the reason. Idempotent.
     */
    void end(String reason) {
        InspectionSession session;
        CompletableFuture<List<String>> answer;
        List<String> batch = null;
        synchronized (this) {
            if (endedBecause != null) {
                return;
            }
            endedBecause = reason;
            session = inner;
            answer = poll;
            poll = null;
            cancelTimeout();
            if (answer != null && !waiting.isEmpty()) {
                batch = take();
            }
        }
        onEnded.accept(this, reason);
        if (session != null) {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.warn("inspection session {} of node {}: closing it failed", id, node.shortForm(), e);
            }
        }
        if (answer != null) {
            if (batch != null) {
                complete(answer, batch);
            } else {
                CompletableFuture<List<String>> failed = answer;
                executor.execute(() -> failed.completeExceptionally(new InspectionEndedException(reason)));
            }
        }
    }

    synchronized boolean ended() {
        return endedBecause != null;
    }

    synchronized long droppedEvents() {
        return droppedEvents;
    }

    /** Under this: the oldest waiting lines up to a batch, at least one. */
    private List<String> take() {
        List<String> batch = new ArrayList<>();
        long chars = 0;
        while (!waiting.isEmpty()) {
            String next = waiting.peek();
            if (!batch.isEmpty() && chars + next.length() > limits.maxBatchBytes()) {
                break;
            }
            waiting.poll();
            batch.add(next);
            chars += next.length();
        }
        waitingChars -= chars;
        return batch;
    }

    private void cancelTimeout() {
        if (pollTimeout != null) {
            pollTimeout.cancel(false);
            pollTimeout = null;
        }
    }

    private void complete(CompletableFuture<List<String>> future, List<String> batch) {
        executor.execute(() -> future.complete(batch));
    }
}
