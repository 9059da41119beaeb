package dev.ensemble.collab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.wire.ChunkStreamException;
import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.EnvelopeException;
import dev.ensemble.collab.wire.Reassembler;
import dev.ensemble.collab.wire.ReassemblyLimits;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wire stages over the simulator, as PeerMessaging will stack them: chunker, transport,
 * codec, reassembler on the virtual clock.
 */
@ExtendWith(SimulationSeedExtension.class)
class ChunkedTransferOverSimulatedNetworkTest {

    private static final PeerId SENDER = TestPeers.id("Sender");
    private static final PeerId RECEIVER = TestPeers.id("Receiver");

    /** The receiving side: decode, reassemble, collect. */
    private static final class Receiver extends TransportListener {
        final EnvelopeCodec codec;
        final Reassembler reassembler;
        final List<Envelope> envelopes = new ArrayList<>();
        final List<EnvelopeException> errors = new ArrayList<>();

        Receiver(NetworkSimulator network) {
            codec = EnvelopeCodec.withMaxFrameSize(network.maxMessageSize());
            reassembler = new Reassembler(SENDER, ReassemblyLimits.DEFAULTS, network.clock());
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            try {
                reassembler.offer(codec.decode(message)).ifPresent(envelopes::add);
            } catch (EnvelopeException e) {
                errors.add(e);
            }
        }
    }

    private static Envelope largeSync(int size) {
        byte[] payload = new byte[size];
        new SplittableRandom(size).nextBytes(payload);
        return Envelope.sync("automerge-paper", payload);
    }

    private static Receiver send(NetworkSimulator network, Envelope... envelopes) {
        Transport sender = network.transportFor(SENDER);
        Transport receiving = network.transportFor(RECEIVER);
        Receiver receiver = new Receiver(network);
        sender.start(TransportListener.NONE);
        receiving.start(receiver);
        network.runUntilQuiet(100);
        Chunker chunker = new Chunker(sender.maxMessageSize(), 0);
        for (Envelope envelope : envelopes) {
            for (byte[] frame : chunker.split(envelope)) {
                assertTrue(sender.send(RECEIVER, frame));
            }
        }
        return receiver;
    }

    @Test
    void aLargeMessageSurvivesReorderingAndDuplication(SimulationSeed seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed.value())
                .conditions(LinkConditions.builder()
                        .latency(Duration.ZERO, Duration.ofMillis(50))
                        .duplicationRate(0.2)
                        .build())
                .build();
        Envelope big = largeSync(4 * 1024 * 1024);
        Envelope small = Envelope.ephemeral("", new byte[] {1});
        Receiver receiver = send(network, big, small);
        network.runUntilQuiet(10_000);
        assertEquals(List.of(), receiver.errors);
        // Duplicated chunks are absorbed by reassembly; an unchunked frame may legitimately arrive twice.
        assertEquals(1, receiver.envelopes.stream().filter(big::equals).count(), "the big message exactly once");
        assertTrue(receiver.envelopes.contains(small), "the small message at least once");
        assertTrue(receiver.envelopes.stream().allMatch(e -> e.equals(big) || e.equals(small)));
        assertEquals(0, receiver.reassembler.bufferedBytes());
    }

    @Test
    void aStreamMissingChunksExpiresWithAnErrorAndReleasesItsMemory(SimulationSeed seed) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(seed.value())
                .conditions(LinkConditions.builder()
                        .latency(Duration.ofMillis(10))
                        .lossRate(0.3)
                        .build())
                .build();
        Receiver receiver = send(network, largeSync(8 * 1024 * 1024));
        network.runUntilQuiet(10_000);
        assertTrue(receiver.envelopes.isEmpty(), "129 chunks at 30% loss: whole with probability 0.7^129");
        assertTrue(receiver.reassembler.bufferedBytes() > 0);
        network.runFor(ReassemblyLimits.DEFAULT_TIMEOUT.minusMillis(1));
        assertTrue(receiver.reassembler.expire().isEmpty());
        network.runFor(Duration.ofMillis(1));

        List<ChunkStreamException> expired = receiver.reassembler.expire();

        assertEquals(1, expired.size());
        assertEquals(ChunkStreamException.Reason.EXPIRED, expired.get(0).reason());
        assertEquals(SENDER, expired.get(0).peer());
        assertEquals("automerge-paper", expired.get(0).documentId());
        assertEquals(0, receiver.reassembler.bufferedBytes());
        assertEquals(0, receiver.reassembler.partialMessageCount());
    }
}
