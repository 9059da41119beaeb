package dev.ensemble.benchmarks.relay;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.secure.SecureTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Round trips between two {@link WebSocketTransport}s through the signaling server, bare and with
 * end-to-end sessions ({@link SecureTransport}, docs/SECURITY.md), taking turns block by block so
 * that both see the same load: the cost of sealing and opening every frame, which issue 17 bounds
 * at 1.1x the bare round trip (p50). One pair per variant, each in a room of its own; the second
 * peer of a pair sends every message straight back from its transport's callback.
 */
final class SealedRoundTrips implements AutoCloseable {

    static final String BARE = "transport";
    static final String SEALED = "sealed";

    private static final long TIMEOUT_SECONDS = 10;

    private final List<Pair> pairs;

    private SealedRoundTrips(List<Pair> pairs) {
        this.pairs = pairs;
    }

    static SealedRoundTrips connect(URI server, int payloadBytes) throws InterruptedException {
        Pair bare = new Pair(BARE, server, "bench-transport", false, payloadBytes);
        Pair sealed = new Pair(SEALED, server, "bench-sealed", true, payloadBytes);
        bare.awaitConnected();
        sealed.awaitConnected();
        return new SealedRoundTrips(List.of(bare, sealed));
    }

    /** Warm-up, then {@code measured} round trips per variant in {@code blocks} alternating blocks. */
    Map<String, Histogram> measure(int warmup, int measured, int blocks) throws InterruptedException {
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            histograms.put(pair.name, new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3));
            for (int i = 0; i < warmup; i++) {
                pair.roundTrip();
            }
        }
        int perBlock = measured / blocks;
        for (int block = 0; block < blocks; block++) {
            for (Pair pair : pairs) {
                Histogram histogram = histograms.get(pair.name);
                for (int i = 0; i < perBlock; i++) {
                    histogram.recordValue(pair.roundTrip());
                }
            }
        }
        return histograms;
    }

    /** Frames refused by either sealed transport (none is expected through an honest server). */
    long refused() {
        return pairs.stream().mapToLong(Pair::refused).sum();
    }

    @Override
    public void close() {
        pairs.forEach(Pair::close);
    }

    /** Two peers; {@code sender} measures, the other echoes. */
    private static final class Pair {
        final String name;
        final Transport sender;
        final Transport echo;
        final PeerId echoId;
        final byte[] payload;
        final BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(16);
        final CountDownLatch connected = new CountDownLatch(2);

        Pair(String name, URI server, String room, boolean sealed, int payloadBytes) {
            this.name = name;
            this.payload = new byte[payloadBytes];
            PeerIdentity a = PeerIdentity.generate();
            PeerIdentity b = PeerIdentity.generate();
            this.echoId = b.peerId();
            this.sender = transport(server, room, a, sealed);
            this.echo = transport(server, room, b, sealed);
            echo.start(new TransportListener() {
                @Override
                public void onPeerConnected(PeerId peer) {
                    connected.countDown();
                }

                @Override
                public void onMessage(PeerId from, byte[] message) {
                    echo.send(from, message);
                }
            });
            sender.start(new TransportListener() {
                @Override
                public void onPeerConnected(PeerId peer) {
                    connected.countDown();
                }

                @Override
                public void onMessage(PeerId from, byte[] message) {
                    replies.offer(message);
                }
            });
        }

        private static Transport transport(URI server, String room, PeerIdentity identity, boolean sealed) {
            WebSocketTransport ws = WebSocketTransport.create(
                    WebSocketTransportConfig.builder(server, room, identity).build());
            return sealed ? SecureTransport.wrap(ws, identity, room) : ws;
        }

        void awaitConnected() throws InterruptedException {
            if (!connected.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "the " + name + " pair did not connect within " + TIMEOUT_SECONDS + " s");
            }
        }

        long roundTrip() throws InterruptedException {
            byte[] message = payload.clone();
            long start = System.nanoTime();
            ByteBuffer.wrap(message).putLong(start);
            if (!sender.send(echoId, message)) {
                throw new IllegalStateException("the " + name + " transport refused a send");
            }
            byte[] reply = replies.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            if (reply == null || ByteBuffer.wrap(reply).getLong() != start) {
                throw new IllegalStateException("the " + name + " round trip did not come back within "
                        + TIMEOUT_SECONDS + " s, or came back changed");
            }
            return elapsed;
        }

        long refused() {
            long refused = 0;
            for (Transport transport : List.of(sender, echo)) {
                if (transport instanceof SecureTransport secure) {
                    refused += secure.counters().refusedTotal();
                }
            }
            return refused;
        }

        void close() {
            sender.close();
            echo.close();
        }
    }
}
