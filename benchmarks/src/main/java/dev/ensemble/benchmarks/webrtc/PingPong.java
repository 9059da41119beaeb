package dev.ensemble.benchmarks.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

/**
 * Round trips over one transport between two peers: A sends a message to B, B's listener sends it
 * straight back, A's listener records the time and sends the next one. So no harness thread is woken
 * per round trip, and both transports are timed the same way: from just before A's {@code send} to
 * A's {@code onMessage}, both on A's side. Each message carries its sequence number; an echo out of
 * order or a refused send fails the round.
 *
 * <p>Threading: {@link #play} is called by one harness thread at a time; the round trips run on the
 * transports' own threads.
 */
final class PingPong {

    private final String transport;
    private final BenchPeer a;
    private final BenchPeer b;
    private final int payloadBytes;
    /** Written by B's transport thread when an echo cannot be sent; read after a round. */
    private volatile String echoFailure;

    /**
     * Makes B echo every message that reaches it over {@code transport}.
     *
     * @param transport the name of the transport, see {@link BenchPeer#endpoint}
     * @param payloadBytes bytes per message, at least 4 (the sequence number)
     */
    PingPong(String transport, BenchPeer a, BenchPeer b, int payloadBytes) {
        if (payloadBytes < Integer.BYTES) {
            throw new IllegalArgumentException("a round-trip message must hold a " + Integer.BYTES
                    + "-byte sequence number but is " + payloadBytes + " bytes");
        }
        this.transport = transport;
        this.a = a;
        this.b = b;
        this.payloadBytes = payloadBytes;
        Transport back = b.endpoint(transport).transport();
        b.endpoint(transport).onMessage((from, message) -> {
            if (!back.send(from, message)) {
                echoFailure = "B could not send an echo back over " + transport + " (send returned false)";
            }
        });
    }

    String transport() {
        return transport;
    }

    /**
     * Plays {@code count} round trips one after the other and records each one, in nanoseconds.
     *
     * @throws TimeoutException if they do not all come back within {@code timeout} (a lost message)
     * @throws IllegalStateException if a send was refused or an echo came back out of order
     */
    void play(int count, Histogram into, Duration timeout) throws InterruptedException, TimeoutException {
        Round round = new Round(count, into);
        a.endpoint(transport).onMessage(round);
        round.sendNext();
        boolean finished = round.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String failure = round.failure != null ? round.failure : echoFailure;
        if (failure != null) {
            throw new IllegalStateException(transport + " round trips: " + failure);
        }
        if (!finished) {
            throw new TimeoutException(transport + " round trips: " + round.next + " of " + count + " came back within "
                    + timeout.toMillis() + " ms; a message was lost or stuck");
        }
    }

    /**
     * One series of round trips. Its fields are touched by the harness thread for the first send and
     * then only by A's transport thread, one callback at a time; the first send happens-before the
     * first echo through the transport's own queue.
     */
    private final class Round implements BiConsumer<PeerId, byte[]> {
        final CountDownLatch done = new CountDownLatch(1);
        final int count;
        final Histogram into;
        volatile int next;
        long sentAt;
        volatile String failure;

        Round(int count, Histogram into) {
            this.count = count;
            this.into = into;
        }

        void sendNext() {
            byte[] ping = new byte[payloadBytes];
            ByteBuffer.wrap(ping).putInt(next);
            sentAt = System.nanoTime();
            if (!a.endpoint(transport).transport().send(b.id(), ping)) {
                fail("A's send of round trip " + next + " returned false");
            }
        }

        @Override
        public void accept(PeerId from, byte[] echo) {
            long now = System.nanoTime();
            if (done.getCount() == 0) {
                return;
            }
            int sequence = echo.length == payloadBytes ? ByteBuffer.wrap(echo).getInt() : -1;
            if (sequence != next) {
                fail("expected the echo of round trip " + next + " (" + payloadBytes + " bytes) but got "
                        + (sequence < 0 ? echo.length + " bytes" : "the echo of " + sequence));
                return;
            }
            into.recordValue(now - sentAt);
            next = sequence + 1;
            if (next == count) {
                done.countDown();
            } else {
                sendNext();
            }
        }

        private void fail(String why) {
            failure = why;
            done.countDown();
        }
    }
}
