package dev.ensemble.collab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.TraceEvent.Type;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SimulationSeedExtension.class)
class NetworkSimulatorTest {

    private static final PeerId A = TestPeers.id("SimA");
    private static final PeerId B = TestPeers.id("SimB");
    private static final PeerId C = TestPeers.id("SimC");
    private static final PeerId D = TestPeers.id("SimD");

    /** Started transports and their listeners, connected to each other. */
    private record Net(
            NetworkSimulator network, Map<PeerId, Transport> transports, Map<PeerId, RecordingListener> events) {

        Transport transport(PeerId peer) {
            return transports.get(peer);
        }

        RecordingListener events(PeerId peer) {
            return events.get(peer);
        }
    }

    private static Net connected(NetworkSimulator network, PeerId... peers) {
        Map<PeerId, Transport> transports = new TreeMap<>();
        Map<PeerId, RecordingListener> events = new TreeMap<>();
        for (PeerId peer : peers) {
            Transport transport = network.transportFor(peer);
            RecordingListener listener = new RecordingListener();
            transport.start(listener);
            transports.put(peer, transport);
            events.put(peer, listener);
        }
        network.runUntilQuiet(10_000);
        return new Net(network, transports, events);
    }

    private static NetworkSimulator network(long seed, LinkConditions conditions) {
        return NetworkSimulator.builder().seed(seed).conditions(conditions).build();
    }

    private static byte[] numbered(int number) {
        return ByteBuffer.allocate(8).putInt(number).array();
    }

    private static List<Integer> numbers(RecordingListener listener) {
        List<Integer> numbers = new ArrayList<>();
        for (RecordingListener.Received received : listener.messages()) {
            numbers.add(ByteBuffer.wrap(received.message()).getInt());
        }
        return numbers;
    }

    @Test
    void deliversNothingUntilTheTestRunsTheNetwork(SimulationSeed seed) {
        NetworkSimulator network = network(seed.value(), LinkConditions.PERFECT);
        Transport a = network.transportFor(A);
        RecordingListener events = new RecordingListener();
        a.start(events);
        network.transportFor(B).start(TransportListener.NONE);
        assertTrue(events.connectEvents().isEmpty(), "connection events wait for a step");
        assertEquals(2, network.pendingEvents());
        assertTrue(network.step());
        assertEquals(List.of(B), events.connectEvents());
    }

    @Test
    void runForDeliversAtTheVirtualTimeOfTheLatency(SimulationSeed seed) {
        Net net = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().latency(Duration.ofMillis(10)).build()),
                A,
                B);
        net.transport(A).send(B, numbered(1));
        assertEquals(0, net.network().runFor(Duration.ofMillis(9)));
        assertTrue(net.events(B).messages().isEmpty());
        assertEquals(1, net.network().runFor(Duration.ofMillis(1)));
        assertEquals(List.of(1), numbers(net.events(B)));
        assertEquals(Duration.ofMillis(10), net.network().now());
        assertEquals(
                java.time.Instant.EPOCH.plusMillis(10), net.network().clock().instant());
    }

    /** A busy, lossy, reordering run with echoes, a partition and an outage. */
    private static List<TraceEvent> scenario(long seed) {
        NetworkSimulator network = network(
                seed,
                LinkConditions.builder()
                        .latency(Duration.ofMillis(1), Duration.ofMillis(40))
                        .lossRate(0.1)
                        .duplicationRate(0.05)
                        .build());
        PeerId[] peers = {A, B, C, D};
        Map<PeerId, Transport> transports = new TreeMap<>();
        for (PeerId peer : peers) {
            Transport transport = network.transportFor(peer);
            transports.put(peer, transport);
            transport.start(new TransportListener() {
                @Override
                public void onMessage(PeerId from, byte[] message) {
                    int hops = ByteBuffer.wrap(message).getInt();
                    if (hops < 3) {
                        transport.send(from, numbered(hops + 1));
                    }
                }
            });
        }
        network.runUntilQuiet(1000);
        for (int round = 0; round < 20; round++) {
            for (PeerId from : peers) {
                for (PeerId to : peers) {
                    if (!from.equals(to)) {
                        transports.get(from).send(to, numbered(0));
                    }
                }
            }
            if (round == 5) {
                network.partition(Set.of(A, B), Set.of(C));
            }
            if (round == 10) {
                network.heal();
                network.goOffline(D);
            }
            if (round == 15) {
                network.goOnline(D);
            }
            network.runFor(Duration.ofMillis(7));
        }
        network.runUntilQuiet(100_000);
        return network.trace();
    }

    @Test
    void theSameSeedReplaysTheSameTraceAndAnotherSeedDoesNot(SimulationSeed seed) {
        List<TraceEvent> first = scenario(seed.value());
        List<TraceEvent> second = scenario(seed.value());
        assertTrue(first.size() > 1000, "the scenario produces a busy trace: " + first.size());
        assertEquals(first, second);
        assertNotEquals(first, scenario(seed.value() + 1));
        assertTrue(first.stream().anyMatch(e -> e.type() == Type.LOST));
        assertTrue(first.stream().anyMatch(e -> e.type() == Type.DUPLICATED));
        assertTrue(first.stream().anyMatch(e -> e.type() == Type.DROPPED_BY_PARTITION));
        assertTrue(first.stream().anyMatch(e -> e.type() == Type.DISCONNECTED));
    }

    @Test
    void losesRoughlyTheConfiguredShareOfMessages(SimulationSeed seed) {
        Net net = connected(
                network(seed.value(), LinkConditions.builder().lossRate(0.2).build()), A, B);
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            assertTrue(net.transport(A).send(B, numbered(i)));
        }
        net.network().runUntilQuiet(count + 10);
        double delivered = net.events(B).messages().size() / (double) count;
        assertEquals(0.8, delivered, 0.02, "delivered share with lossRate 0.2");
        assertEquals(
                count - net.events(B).messages().size(), net.network().stats().lost());
    }

    @Test
    void duplicatesRoughlyTheConfiguredShareOfMessages(SimulationSeed seed) {
        Net net = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().duplicationRate(0.1).build()),
                A,
                B);
        int count = 20_000;
        for (int i = 0; i < count; i++) {
            net.transport(A).send(B, numbered(i));
        }
        net.network().runUntilQuiet(3 * count);
        double ratio = net.events(B).messages().size() / (double) count;
        assertEquals(1.1, ratio, 0.02, "deliveries per message with duplicationRate 0.1");
        assertEquals(
                net.events(B).messages().size() - count, net.network().stats().duplicated());
    }

    @Test
    void aLinkWithoutJitterIsFifoAndJitterReordersMessages(SimulationSeed seed) {
        Net fixed = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().latency(Duration.ofMillis(30)).build()),
                A,
                B);
        Net jittery = connected(
                network(
                        seed.value(),
                        LinkConditions.builder()
                                .latency(Duration.ofMillis(0), Duration.ofMillis(30))
                                .build()),
                A,
                B);
        for (Net net : List.of(fixed, jittery)) {
            for (int i = 0; i < 1000; i++) {
                net.transport(A).send(B, numbered(i));
                net.network().runFor(Duration.ofMillis(1));
            }
            net.network().runUntilQuiet(10_000);
            assertEquals(1000, net.events(B).messages().size());
        }
        assertEquals(0, inversions(numbers(fixed.events(B))));
        int inversions = inversions(numbers(jittery.events(B)));
        assertTrue(inversions > 100, "a 0-30 ms spread at 1 message/ms reorders: " + inversions);
    }

    private static int inversions(List<Integer> numbers) {
        int inversions = 0;
        for (int i = 1; i < numbers.size(); i++) {
            if (numbers.get(i) < numbers.get(i - 1)) {
                inversions++;
            }
        }
        return inversions;
    }

    @Test
    void aPartitionBlocksBothWaysIncludingInFlightAndHealResumes(SimulationSeed seed) {
        Net net = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().latency(Duration.ofMillis(10)).build()),
                A,
                B,
                C);
        net.transport(A).send(B, numbered(1));
        net.network().partition(Set.of(A), Set.of(B));
        assertTrue(net.transport(A).send(B, numbered(2)), "the sender cannot tell a partition");
        assertTrue(net.transport(B).send(A, numbered(3)));
        assertTrue(net.transport(C).send(A, numbered(4)));
        net.network().runUntilQuiet(100);
        assertTrue(net.events(B).messages().isEmpty(), "A to B blocked, also the one in flight");
        assertEquals(List.of(4), numbers(net.events(A)), "B to A blocked, C to A flows");
        assertTrue(net.events(A).isConnectedTo(B), "a partition does not disconnect");
        assertEquals(3, net.network().stats().droppedByPartition());

        net.network().heal();
        net.transport(A).send(B, numbered(5));
        net.transport(B).send(A, numbered(6));
        net.network().runUntilQuiet(100);
        assertEquals(List.of(5), numbers(net.events(B)));
        assertEquals(List.of(4, 6), numbers(net.events(A)));
    }

    @Test
    void aSendIntoALinkThatWentDownBeforeTheSenderWasToldIsLostNotRefused(SimulationSeed seed) {
        Net net = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().latency(Duration.ofMillis(10)).build()),
                A,
                B);
        net.network().goOffline(B);
        // A has not been told yet: its send is accepted and lost, so it has nothing to retry.
        assertTrue(net.transport(A).send(B, numbered(1)));
        assertEquals(1, net.network().stats().droppedByLinkDown());
        assertEquals(0, net.network().stats().rejected());
        net.network().runUntilQuiet(100);
        assertTrue(net.events(B).messages().isEmpty());
        assertFalse(net.transport(A).send(B, numbered(2)), "told of the disconnect: refused");
    }

    @Test
    void aPeerGoingOfflineDisconnectsBothSidesDropsInFlightAndReconnects(SimulationSeed seed) {
        Net net = connected(
                network(
                        seed.value(),
                        LinkConditions.builder().latency(Duration.ofMillis(10)).build()),
                A,
                B,
                C);
        net.transport(A).send(B, numbered(1));
        net.network().goOffline(B);
        net.network().runUntilQuiet(100);
        assertTrue(net.events(B).messages().isEmpty(), "in-flight message to B dropped");
        assertEquals(
                List.of(new RecordingListener.Disconnect(B, B + " went offline")),
                net.events(A).disconnects());
        assertEquals(2, net.events(B).disconnects().size(), "B loses A and C");
        assertFalse(net.transport(A).send(B, numbered(2)));
        assertFalse(net.transport(B).send(C, numbered(3)));
        assertTrue(net.transport(A).send(C, numbered(4)));

        net.network().goOnline(B);
        net.network().runUntilQuiet(100);
        assertEquals(List.of(B, C, B), net.events(A).connectEvents());
        assertTrue(net.transport(A).send(B, numbered(5)));
        net.network().runUntilQuiet(100);
        assertEquals(List.of(5), numbers(net.events(B)));
    }

    @Test
    void limitedBandwidthQueuesMessagesAndRefusesWhenTheQueueIsFull(SimulationSeed seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed.value())
                .conditions(
                        LinkConditions.builder().bandwidthBytesPerSecond(1000).build())
                .sendBufferBytes(1500)
                .build();
        Net net = connected(network, A, B);
        assertTrue(net.transport(A).send(B, new byte[500]));
        assertTrue(net.transport(A).send(B, new byte[500]));
        assertEquals(1000, net.transport(A).queueSize(B));
        assertFalse(net.transport(A).send(B, new byte[600]), "1000 + 600 > 1500 buffered bytes");
        assertTrue(net.transport(A).send(B, new byte[500]));
        network.runFor(Duration.ofMillis(500));
        assertEquals(1, net.events(B).messages().size(), "500 bytes at 1000 B/s take 0.5 s");
        assertEquals(1000, net.transport(A).queueSize(B));
        network.runFor(Duration.ofMillis(1000));
        assertEquals(3, net.events(B).messages().size());
        assertEquals(0, net.transport(A).queueSize(B));
        assertEquals(1, network.stats().rejected());
    }

    @Test
    void perLinkConditionsApplyToOneDirectionOnly(SimulationSeed seed) {
        Net net = connected(network(seed.value(), LinkConditions.PERFECT), A, B);
        net.network()
                .setLinkConditions(A, B, LinkConditions.builder().lossRate(1.0).build());
        net.transport(A).send(B, numbered(1));
        net.transport(B).send(A, numbered(2));
        net.network().runUntilQuiet(100);
        assertTrue(net.events(B).messages().isEmpty());
        assertEquals(List.of(2), numbers(net.events(A)));
    }

    @Test
    void repliesSentFromCallbacksAreQueuedNotRecursed(SimulationSeed seed) {
        NetworkSimulator network = network(seed.value(), LinkConditions.PERFECT);
        Transport a = network.transportFor(A);
        Transport b = network.transportFor(B);
        int[] received = new int[1];
        TransportListener echo = new TransportListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                int n = ByteBuffer.wrap(message).getInt();
                received[0]++;
                if (n < 100_000) {
                    (from.equals(A) ? b : a).send(from, numbered(n + 1));
                }
            }
        };
        a.start(echo);
        b.start(echo);
        network.runUntilQuiet(100);
        a.send(B, numbered(0));
        network.runUntilQuiet(200_000);
        assertEquals(100_001, received[0]);
    }

    @Test
    void anEndlessZeroLatencyExchangeFailsRunForNamingTheSeed(SimulationSeed seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed.value())
                .maxStepsPerRun(1000)
                .build();
        Transport a = network.transportFor(A);
        Transport b = network.transportFor(B);
        a.start(new TransportListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                a.send(from, message);
            }
        });
        b.start(new TransportListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                b.send(from, message);
            }
        });
        network.runUntilQuiet(100);
        a.send(B, numbered(0));
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> network.runFor(Duration.ofSeconds(1)));
        assertTrue(error.getMessage().contains("-Densemble.sim.seed=" + seed.value()), error.getMessage());
        IllegalStateException notQuiet = assertThrows(IllegalStateException.class, () -> network.runUntilQuiet(50));
        assertTrue(notQuiet.getMessage().startsWith("the network is not quiet after 50 steps"), notQuiet.getMessage());
    }

    @Test
    void steppingFromInsideACallbackIsRejected(SimulationSeed seed) {
        NetworkSimulator network = network(seed.value(), LinkConditions.PERFECT);
        network.transportFor(A).start(new TransportListener() {
            @Override
            public void onPeerConnected(PeerId peer) {
                network.step();
            }
        });
        network.transportFor(B).start(TransportListener.NONE);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> network.runUntilQuiet(10));
        assertTrue(
                error.getCause()
                        .getMessage()
                        .startsWith(
                                "step() and the run methods must not be" + " called from inside a transport callback"),
                error.getCause().getMessage());
    }

    @Test
    void aThrowingListenerFailsTheRunNamingThePeerAndTheSeed(SimulationSeed seed) {
        Net net = connected(network(seed.value(), LinkConditions.PERFECT), A);
        Transport b = net.network().transportFor(B);
        b.start(new TransportListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                throw new IllegalArgumentException("boom");
            }
        });
        net.network().runUntilQuiet(10);
        net.transport(A).send(B, numbered(1));
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> net.network().runUntilQuiet(10));
        assertTrue(
                error.getMessage()
                        .startsWith("the listener of " + B + " threw while handling" + " message of 8 bytes from " + A),
                error.getMessage());
        assertTrue(error.getMessage().contains("seed " + seed.value()));
        assertEquals("boom", error.getCause().getMessage());
    }

    @Test
    void keepsOnlyTheMostRecentTraceEntries(SimulationSeed seed) {
        NetworkSimulator network =
                NetworkSimulator.builder().seed(seed.value()).traceCapacity(10).build();
        Net net = connected(network, A, B);
        for (int i = 0; i < 100; i++) {
            net.transport(A).send(B, numbered(i));
        }
        network.runUntilQuiet(1000);
        List<TraceEvent> trace = network.trace();
        assertEquals(10, trace.size());
        assertEquals(Type.DELIVERED, trace.get(trace.size() - 1).type());
        assertEquals(
                "t=0.000ms DELIVERED " + A + " -> " + B + " 8 B",
                trace.get(trace.size() - 1).toString());
    }

    @Test
    void aPeerHasOneOpenTransportAtATime(SimulationSeed seed) {
        NetworkSimulator network = network(seed.value(), LinkConditions.PERFECT);
        Transport first = network.transportFor(A);
        assertThrows(IllegalStateException.class, () -> network.transportFor(A));
        first.close();
        assertEquals("memory", network.transportFor(A).name());
    }

    @Test
    void chooseSeedReadsTheSeedProperty() {
        String previous = System.getProperty(NetworkSimulator.SEED_PROPERTY);
        try {
            System.setProperty(NetworkSimulator.SEED_PROPERTY, "-42");
            assertEquals(-42L, NetworkSimulator.chooseSeed());
            System.setProperty(NetworkSimulator.SEED_PROPERTY, "forty-two");
            assertEquals(
                    "system property ensemble.sim.seed must be a decimal long such as"
                            + " -6142535731295318413, was \"forty-two\"",
                    assertThrows(IllegalArgumentException.class, NetworkSimulator::chooseSeed)
                            .getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(NetworkSimulator.SEED_PROPERTY);
            } else {
                System.setProperty(NetworkSimulator.SEED_PROPERTY, previous);
            }
        }
    }

    @Test
    void aSimulatorNeedsASeed() {
        assertThrows(
                IllegalStateException.class, () -> NetworkSimulator.builder().build());
    }
}
