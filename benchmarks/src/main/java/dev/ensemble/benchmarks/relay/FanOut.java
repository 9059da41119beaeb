package dev.ensemble.benchmarks.relay;

import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * Many peers held at once, four per room, each sending relay frames to its three room mates.
 *
 * <p>Every frame carries its send time ({@code System.nanoTime()} of this JVM, written just before
 * {@code send}) in the first 8 bytes of its payload; the receiving client's read thread records
 * receive time minus send time. So a latency is client send call → client write thread → server →
 * client read thread, all on 127.0.0.1. One harness thread sends at an even pace over all
 * (client, mate) pairs; frames sent during the warm-up are counted but not recorded.
 *
 * <p>Threading: {@link #connect}, {@link #run} and {@link #close} on one harness thread; the receive
 * handlers on the clients' read threads write only the thread-safe {@link #latencies} and {@link #received}.
 */
final class FanOut implements AutoCloseable {

    /** Handshakes in flight while connecting, so that connecting does not trip the server's rate limits. */
    private static final int CONNECTING_AT_ONCE = 32;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    /**
     * What one run measured. Latencies in nanoseconds; {@code sentMeasured} counts the frames sent after
     * the warm-up; {@code worstMillisBySecond} lists the worst latency (ms) of the frames sent in each
     * second of the run, warm-up included.
     */
    record Result(
            Histogram latencies,
            long sent,
            long sentMeasured,
            long received,
            long sendFailures,
            double sentPerSecond,
            long serverErrors,
            String worstMillisBySecond) {
        long undelivered() {
            return sent - received;
        }
    }

    private final List<RelayClient> clients = new ArrayList<>();
    private final Recorder latencies = new Recorder(3);
    private final AtomicLong received = new AtomicLong();
    /** Frames sent at or after this time are recorded; written by the harness before it sends them. */
    private volatile long recordFromNanos = Long.MAX_VALUE;
    /** Worst latency (ns) of the frames sent in each second of the run; replaced by the harness before sending. */
    private volatile AtomicLongArray worstBySecond = new AtomicLongArray(0);

    private volatile long runStartNanos;

    private FanOut() {}

    /**
     * Connects {@code count} clients to the signaling server at {@code uri}, four per room, and waits
     * until each has joined.
     */
    static FanOut connect(URI uri, int count) throws Exception {
        return connect(List.of(uri), count);
    }

    /**
     * Connects {@code count} clients, four per room, taking the signaling servers of {@code uris} in
     * turn (client {@code i} on {@code uris[i % size]}), so that with two nodes of a cluster every room
     * has members on both; waits until each has joined and has been told of its three room mates.
     */
    static FanOut connect(List<URI> uris, int count) throws Exception {
        FanOut fanOut = new FanOut();
        try {
            fanOut.connectAll(uris, count);
        } catch (Exception | Error e) {
            fanOut.close();
            throw e;
        }
        return fanOut;
    }

    private void connectAll(List<URI> uris, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            RelayClient client = new RelayClient(
                    uris.get(i % uris.size()), PeerIdentity.generate(), "fan-" + (i / RelaySettings.CLIENTS_PER_ROOM));
            client.onFrame = this::receive;
            clients.add(client);
            client.connect();
            if (i >= CONNECTING_AT_ONCE) {
                awaitJoined(clients.get(i - CONNECTING_AT_ONCE));
            }
        }
        for (RelayClient client : clients) {
            awaitJoined(client);
        }
        for (int i = 0; i < clients.size(); i++) {
            int roomStart = i - i % RelaySettings.CLIENTS_PER_ROOM;
            List<PeerId> mates = new ArrayList<>();
            for (int j = roomStart; j < roomStart + RelaySettings.CLIENTS_PER_ROOM; j++) {
                if (j != i) {
                    mates.add(clients.get(j).peerId());
                }
            }
            clients.get(i).awaitRoomMates(mates, CONNECT_TIMEOUT);
        }
    }

    private static void awaitJoined(RelayClient client) throws Exception {
        try {
            client.ready.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    client.peerId() + " did not join " + client.room + " within " + CONNECT_TIMEOUT.toSeconds() + " s",
                    e);
        }
    }

    int size() {
        return clients.size();
    }

    private void receive(ByteBuffer frame) {
        int header = RelayFrame.FIXED_HEADER_BYTES + (frame.get(frame.position() + 1) & 0xFF);
        long sentAt = frame.getLong(frame.position() + header);
        long now = System.nanoTime();
        if (sentAt >= recordFromNanos) {
            latencies.recordValue(now - sentAt);
        }
        AtomicLongArray worst = worstBySecond;
        int second = (int) ((sentAt - runStartNanos) / 1_000_000_000L);
        if (second >= 0 && second < worst.length()) {
            worst.accumulateAndGet(second, now - sentAt, Math::max);
        }
        received.incrementAndGet();
    }

    /**
     * Sends for {@code warmup} plus {@code measured} at {@code roundsPerSecond} frames per (client,
     * mate) pair, then waits up to 15 s for every frame to arrive.
     */
    Result run(double roundsPerSecond, Duration warmup, Duration measured, int payloadBytes) {
        return run(roundsPerSecond, warmup, measured, payloadBytes, () -> {});
    }

    /**
     * As {@link #run(double, Duration, Duration, int)}, calling {@code atMeasureStart} on the harness
     * thread when the warm-up ends (to read CPU time over the measured part only).
     */
    Result run(double roundsPerSecond, Duration warmup, Duration measured, int payloadBytes, Runnable atMeasureStart) {
        int mates = RelaySettings.CLIENTS_PER_ROOM - 1;
        int pairs = clients.size() * mates;
        RelayClient[] senders = new RelayClient[pairs];
        byte[][] templates = new byte[pairs][];
        int[] timeOffsets = new int[pairs];
        // Pair k: client k % n to the mate k / n places after it in its room, so consecutive sends
        // come from different clients and rooms.
        for (int k = 0; k < pairs; k++) {
            int index = k % clients.size();
            int mateSlot = k / clients.size() + 1;
            int roomStart = index - index % RelaySettings.CLIENTS_PER_ROOM;
            RelayClient from = clients.get(index);
            RelayClient to = clients.get(roomStart + (index - roomStart + mateSlot) % RelaySettings.CLIENTS_PER_ROOM);
            senders[k] = from;
            templates[k] = from.frameTo(to.peerId(), new byte[payloadBytes]);
            timeOffsets[k] = templates[k].length - payloadBytes;
        }
        double framesPerNano = pairs * roundsPerSecond / 1e9;
        worstBySecond = new AtomicLongArray((int) (warmup.plus(measured).toSeconds() + 1));
        long start = System.nanoTime();
        runStartNanos = start;
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        long sent = 0;
        long sentBeforeMeasuring = 0;
        long failures = 0;
        boolean recording = false;
        long now;
        while ((now = System.nanoTime()) < end) {
            if (!recording && now >= measureFrom) {
                atMeasureStart.run();
                recordFromNanos = now;
                recording = true;
                sentBeforeMeasuring = sent;
            }
            long due = (long) ((now - start) * framesPerNano);
            while (sent < due) {
                int k = (int) (sent % pairs);
                byte[] frame = templates[k].clone();
                ByteBuffer.wrap(frame).putLong(timeOffsets[k], System.nanoTime());
                try {
                    senders[k].send(frame);
                } catch (WebsocketNotConnectedException e) {
                    failures++;
                }
                sent++;
            }
            LockSupport.parkNanos(100_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long delivered = sent - failures;
        long drainDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (received.get() < delivered && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(10_000_000);
        }
        long errors = clients.stream().mapToLong(c -> c.errors.get()).sum();
        StringBuilder worst = new StringBuilder();
        for (int second = 0; second < worstBySecond.length(); second++) {
            worst.append(String.format(Locale.ROOT, " %.1f", worstBySecond.get(second) / 1e6));
        }
        return new Result(
                latencies.getIntervalHistogram(),
                sent,
                sent - sentBeforeMeasuring,
                received.get(),
                failures,
                sent / seconds,
                errors,
                worst.toString().trim());
    }

    @Override
    public void close() {
        int open = BenchClient.closeAll(clients, Duration.ofSeconds(30));
        if (open > 0) {
            System.out.println("# fan-out: " + open + " clients did not close within 30 s");
        }
    }
}
