package dev.ensemble.benchmarks.relay;

import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Relay round trip through the signaling server against the plain Java-WebSocket comparators, in one
 * run, taking turns block by block so that outside load falls on all of them alike:
 *
 * <ul>
 *   <li>{@code relay}: peers A and B in one room; A sends a relay frame to B through the server, B
 *       sends one back to A (client → server → client → server → client).</li>
 *   <li>{@code echo}: one client; the {@link EchoServer} sends each frame back (client → server → client).
 *       This is the comparator the issue asks for; it crosses the server once where the relay crosses
 *       it twice.</li>
 *   <li>{@code forward}: two clients on the {@link EchoServer}'s forwarding path, bouncing the frame
 *       as A and B do; the same number of hops as the relay.</li>
 * </ul>
 *
 * <p>Every frame is the same size: a relay frame with the configured payload, and as many bytes for
 * the comparators. {@link #connectRelays} makes relay rallies only, each with its own pair of
 * servers (the cluster suite's single server against two cluster nodes). Not thread-safe; one
 * harness thread.
 */
final class RoundTrips implements AutoCloseable {

    static final String RELAY = "relay";
    static final String ECHO = "echo";
    static final String FORWARD = "forward";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final List<BenchClient> clients = new ArrayList<>();
    private final Map<String, RoundTripRally> rallies = new LinkedHashMap<>();

    private RoundTrips() {}

    /** Connects all clients of the three comparisons to {@code server}. */
    static RoundTrips connect(ServerProcess server, int payloadBytes) throws Exception {
        RoundTrips trips = new RoundTrips();
        try {
            trips.setUp(server, payloadBytes);
        } catch (Exception | Error e) {
            trips.close();
            throw e;
        }
        return trips;
    }

    /**
     * Connects one relay rally per entry of {@code relays}, no comparators: peer A on the entry's
     * first signaling server, peer B on its second (the same server twice, or two nodes of a cluster),
     * in a room of their own.
     */
    static RoundTrips connectRelays(Map<String, List<URI>> relays, int payloadBytes) throws Exception {
        RoundTrips trips = new RoundTrips();
        try {
            List<RelayClient[]> pairs = new ArrayList<>();
            relays.forEach((name, uris) -> pairs.add(new RelayClient[] {
                trips.add(new RelayClient(uris.get(0), PeerIdentity.generate(), "rtt-" + name)),
                trips.add(new RelayClient(uris.get(1), PeerIdentity.generate(), "rtt-" + name))
            }));
            trips.connectAll();
            int i = 0;
            for (String name : relays.keySet()) {
                trips.relayRally(name, pairs.get(i)[0], pairs.get(i)[1], payloadBytes);
                i++;
            }
        } catch (Exception | Error e) {
            trips.close();
            throw e;
        }
        return trips;
    }

    private void setUp(ServerProcess server, int payloadBytes) throws Exception {
        RelayClient a = add(new RelayClient(server.signalingUri(), PeerIdentity.generate(), "rtt"));
        RelayClient b = add(new RelayClient(server.signalingUri(), PeerIdentity.generate(), "rtt"));
        BenchClient echo = add(new BenchClient(server.echoUri(EchoServer.ECHO_PATH)));
        BenchClient forwardA = add(new BenchClient(server.echoUri(EchoServer.FORWARD_PATH)));
        BenchClient forwardB = add(new BenchClient(server.echoUri(EchoServer.FORWARD_PATH)));
        connectAll();
        byte[] aToB = relayRally(RELAY, a, b, payloadBytes);
        forwardB.onFrame = frame -> forwardB.send(frame);
        byte[] plain = new byte[aToB.length];
        rallies.put(ECHO, new RoundTripRally(ECHO, echo, plain));
        rallies.put(FORWARD, new RoundTripRally(FORWARD, forwardA, plain));
        System.out.printf(
                "# round trips: frames of %d bytes (relay header %d + payload %d)%n",
                aToB.length, aToB.length - payloadBytes, payloadBytes);
    }

    private void connectAll() throws Exception {
        for (BenchClient client : clients) {
            client.connect();
            client.ready.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Adds the rally {@code name}: A sends to B, whose read thread sends one back. Waits until each has
     * been told of the other, as B may have joined on another node of a cluster.
     *
     * @return the frame from A to B
     */
    private byte[] relayRally(String name, RelayClient a, RelayClient b, int payloadBytes) {
        a.awaitRoomMates(List.of(b.peerId()), CONNECT_TIMEOUT);
        b.awaitRoomMates(List.of(a.peerId()), CONNECT_TIMEOUT);
        byte[] payload = new byte[payloadBytes];
        byte[] aToB = a.frameTo(b.peerId(), payload);
        byte[] bToA = b.frameTo(a.peerId(), payload);
        b.onFrame = frame -> b.send(bToA);
        rallies.put(name, new RoundTripRally(name, a, aToB));
        return aToB;
    }

    private <C extends BenchClient> C add(C client) {
        clients.add(client);
        return client;
    }

    /**
     * Warms up, then measures {@code measured} round trips per comparison in {@code blocks} blocks,
     * rotating which comparison goes first.
     *
     * @return the histograms (nanoseconds) by comparison name
     */
    Map<String, Histogram> measure(int warmup, int measured, int blocks) throws InterruptedException {
        List<RoundTripRally> order = new ArrayList<>(rallies.values());
        Histogram discard = new Histogram(3);
        for (int half = 0; half < 2; half++) {
            for (RoundTripRally rally : order) {
                rally.play(Math.max(1, warmup / 2), discard, timeoutFor(warmup / 2));
            }
        }
        Map<String, Histogram> results = new LinkedHashMap<>();
        rallies.keySet().forEach(name -> results.put(name, new Histogram(3)));
        int perBlock = measured / blocks;
        for (int block = 0; block < blocks; block++) {
            for (int i = 0; i < order.size(); i++) {
                RoundTripRally rally = order.get((block + i) % order.size());
                rally.play(perBlock, results.get(rally.name), timeoutFor(perBlock));
            }
        }
        return results;
    }

    /** Generous: 10 s plus 2 ms per round trip; a round trip takes about 0.1 ms on loopback. */
    private static Duration timeoutFor(int roundTrips) {
        return Duration.ofSeconds(10).plusMillis(2L * roundTrips);
    }

    /** Error frames the relay peers received (rate limits and the like); must be zero. */
    long relayErrors() {
        return clients.stream()
                .filter(RelayClient.class::isInstance)
                .mapToLong(c -> ((RelayClient) c).errors.get())
                .sum();
    }

    @Override
    public void close() {
        BenchClient.closeAll(clients, CONNECT_TIMEOUT);
    }
}
