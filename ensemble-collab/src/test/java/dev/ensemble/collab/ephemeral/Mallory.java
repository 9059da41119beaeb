package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;

/** A peer in the room that writes raw ephemeral envelopes instead of running the actors. */
final class Mallory {
    final PeerId id;
    private final NetworkSimulator network;
    private final Transport transport;
    private long sequence;

    Mallory(NetworkSimulator network, String name) {
        this.network = network;
        this.id = TestPeers.id(name);
        this.transport = network.transportFor(id);
        transport.start(new RecordingListener());
        network.runUntilQuiet(1_000_000);
    }

    /** Sends an envelope of the given channel with exactly these payload bytes, and delivers it. */
    void sendRaw(PeerId to, String channel, byte[] payload) {
        transport.send(to, EnvelopeCodec.encode(Envelope.ephemeral(channel, payload)));
        network.runUntilQuiet(1_000_000);
    }

    /** Sends a well-formed frame with the next sequence number. */
    void sendFrame(PeerId to, String channel, String topic, byte[] message) {
        sendRaw(to, channel, new Frame(1, ++sequence, topic, message).encode());
    }
}
