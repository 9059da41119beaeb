package dev.ensemble.benchmarks.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-way stream of equal messages from A to B over one transport, as fast as the transport takes
 * them, for throughput. The sender respects back-pressure and drops nothing: while more than {@link
 * #WINDOW_BYTES} are queued for B ({@link Transport#queueSize}), or when {@code send} returns {@code
 * false} (the transport's queue is full), it parks for {@link #BACKOFF} and tries the same message
 * again. The time runs from the first {@code send} to the arrival of the last byte at B.
 *
 * <p>Threading: {@link #send} runs on the calling harness thread; B counts on its transport's thread.
 */
final class Stream {

    /** Bytes the sender lets queue in the transport before it waits. */
    static final int WINDOW_BYTES = 4 * 1024 * 1024;
    /** How long the sender parks when the window is full or a send is refused. */
    static final Duration BACKOFF = Duration.ofNanos(100_000);

    /**
     * What one stream achieved.
     *
     * @param bytes payload bytes that arrived at B (all that were sent)
     * @param nanos from the first send to the arrival of the last byte
     * @param backoffs how often the sender waited for the transport's queue
     */
    record Result(long bytes, long nanos, long backoffs) {}

    private Stream() {}

    /**
     * Sends {@code messages} copies of {@code message} from A to B and waits until B has them all.
     *
     * @throws TimeoutException if they have not all arrived within {@code timeout}
     * @throws IllegalStateException if B's connection over {@code transport} is lost, or a message of
     *     another size arrives
     */
    static Result send(BenchPeer a, BenchPeer b, String transport, byte[] message, int messages, Duration timeout)
            throws InterruptedException, TimeoutException {
        long total = (long) message.length * messages;
        AtomicLong received = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        AtomicReference<String> wrongSize = new AtomicReference<>();
        b.endpoint(transport).onMessage((from, bytes) -> {
            if (bytes.length != message.length) {
                wrongSize.set("B received a message of " + bytes.length + " bytes in a stream of " + message.length);
                all.countDown();
                return;
            }
            if (received.addAndGet(bytes.length) == total) {
                lastArrival.set(System.nanoTime());
                all.countDown();
            }
        });
        Endpoint sender = a.endpoint(transport);
        Transport out = sender.transport();
        PeerId to = b.id();
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffs = 0;
        long start = System.nanoTime();
        for (int sent = 0; sent < messages; ) {
            if (out.queueSize(to) < WINDOW_BYTES && out.send(to, message)) {
                sent++;
                continue;
            }
            if (!sender.isConnected(to)) {
                throw new IllegalStateException(
                        transport + " stream: B disconnected after " + sent + " of " + messages + " messages");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(transport + " stream: only " + sent + " of " + messages
                        + " messages could be queued within " + timeout.toMillis() + " ms");
            }
            backoffs++;
            LockSupport.parkNanos(BACKOFF.toNanos());
        }
        long left = Math.max(1, deadline - System.nanoTime());
        boolean arrived = all.await(left, TimeUnit.NANOSECONDS);
        if (wrongSize.get() != null) {
            throw new IllegalStateException(transport + " stream: " + wrongSize.get());
        }
        if (!arrived) {
            throw new TimeoutException(transport + " stream: " + received.get() + " of " + total
                    + " bytes arrived within " + timeout.toMillis() + " ms");
        }
        return new Result(total, lastArrival.get() - start, backoffs);
    }
}
