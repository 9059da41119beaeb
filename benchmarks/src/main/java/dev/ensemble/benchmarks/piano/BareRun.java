package dev.ensemble.benchmarks.piano;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The comparator: the same notes, JSON-encoded as the piano sends them, broadcast by bare
 * transports with three {@code send}s a note (one per other player) and decoded on arrival. Over
 * the relay, a {@link WebSocketTransport} per player; over WebRTC, a {@code WebRtcTransport}
 * negotiated over such a relay ({@link NotePath#transports}), sending only on the data channels.
 * The difference to {@link RoomRun} is the collaboration stack: peer messaging, the ephemeral
 * channel, the room actor and the listener hop.
 *
 * <p>Not thread-safe: one harness thread calls {@link #measure}.
 */
final class BareRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final PianoSettings settings;
    private final NotePath path;

    BareRun(URI server, PianoSettings settings, NotePath path) {
        this.server = server;
        this.settings = settings;
        this.path = path;
    }

    Measurement measure() throws Exception {
        List<PeerIdentity> identities = new ArrayList<>();
        List<PeerId> ids = new ArrayList<>();
        for (int p = 0; p < PianoSettings.PLAYERS; p++) {
            PeerIdentity identity = PeerIdentity.generate();
            identities.add(identity);
            ids.add(identity.peerId());
        }
        NoteLog log = new NoteLog(settings, ids.stream().map(PeerId::toString).toList());
        List<Transport> senders = new ArrayList<>();
        List<Transport> all = new ArrayList<>();
        AtomicLong connections = new AtomicLong();
        AtomicLong disconnections = new AtomicLong();
        try {
            for (int p = 0; p < PianoSettings.PLAYERS; p++) {
                WebSocketTransport relay = WebSocketTransport.create(
                        WebSocketTransportConfig.builder(server, "bench-raw-" + path.label(), identities.get(p))
                                .build());
                List<Transport> transports = path.transports(relay);
                Transport sender = transports.get(0);
                // Started best first: a WebRTC transport must listen before its relay's room membership makes it dial.
                for (Transport transport : transports) {
                    transport.start(
                            transport == sender
                                    ? new Receiver(log, connections, disconnections)
                                    : new TransportListener() {});
                    all.add(transport);
                }
                senders.add(sender);
            }
            int pairs = PianoSettings.PLAYERS * (PianoSettings.PLAYERS - 1);
            if (!Waiting.within(settings.patience(), () -> connections.get() == pairs)) {
                return Measurement.failed("after " + settings.patience().toSeconds() + " s only " + connections.get()
                        + " of " + pairs + " bare " + path.label() + " connections were up, so the notes were not"
                        + " played");
            }
            KeyClock.play(settings, (player, index) -> {
                NoteEvent on = log.press(player, index);
                broadcast(senders.get(player), ids, player, on);
                broadcast(senders.get(player), ids, player, NoteEvent.off(on.playerId(), on.key()));
            });
            Waiting.until(
                    "every bare note reaches the other transports (over " + path.label() + ")",
                    settings.patience(),
                    log::complete);
            List<String> problems = disconnections.get() == 0
                    ? List.of()
                    : List.of(disconnections.get() + " bare " + path.label() + " connections dropped during the run");
            return new Measurement(log.latency(), 0, 0, 0, problems, GcActivity.NONE);
        } finally {
            all.forEach(Transport::close);
        }
    }

    private static void broadcast(Transport transport, List<PeerId> ids, int self, NoteEvent note) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(note);
        } catch (IOException e) {
            throw new IllegalStateException("a note did not encode: " + note, e);
        }
        for (int p = 0; p < ids.size(); p++) {
            if (p != self && !transport.send(ids.get(p), bytes)) {
                throw new IllegalStateException(
                        "the bare " + transport.name() + " transport refused a note to " + ids.get(p));
            }
        }
    }

    /** Counts a sending transport's connections and decodes the notes it receives. */
    private static final class Receiver extends TransportListener {
        private final NoteLog log;
        private final AtomicLong connections;
        private final AtomicLong disconnections;

        Receiver(NoteLog log, AtomicLong connections, AtomicLong disconnections) {
            this.log = log;
            this.connections = connections;
            this.disconnections = disconnections;
        }

        @Override
        public void onPeerConnected(PeerId peer) {
            connections.incrementAndGet();
        }

        @Override
        public void onPeerDisconnected(PeerId peer, String reason) {
            disconnections.incrementAndGet();
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            try {
                NoteEvent note = JSON.readValue(message, NoteEvent.class);
                if (note.on()) {
                    log.arrived(note);
                }
            } catch (IOException e) {
                throw new IllegalStateException("a bare note from " + from + " did not decode: " + e.getMessage(), e);
            }
        }
    }
}
