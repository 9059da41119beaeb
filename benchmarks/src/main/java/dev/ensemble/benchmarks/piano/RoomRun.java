package dev.ensemble.benchmarks.piano;

import dev.ensemble.benchmarks.collab.CountingTransport;
import dev.ensemble.benchmarks.collab.Traffic;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.NetworkPianoRoom;
import dev.ensemble.piano.room.RoomListener;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Measures the notes of {@link PianoSettings#PLAYERS} {@link NetworkPianoRoom}s, the demo's room,
 * each with its own identity and transports ({@link NotePath}), every transport wrapped in a
 * {@link CountingTransport} so that the settings document's bytes and any fallback to the relay
 * are seen. Over WebRTC, the notes are played only once every player lists every other one as
 * {@link TransportKind#WEBRTC WEBRTC}, and the run reports a problem if one
 * of them is not listed so afterwards or a note-carrying envelope went over the relay meanwhile.
 *
 * <p>Not thread-safe: one harness thread calls {@link #measure}.
 */
final class RoomRun {
    /** Numbers the runs of this JVM, for their rooms' names. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static final String EPHEMERAL = "ephemeral";

    private final URI server;
    private final PianoSettings settings;
    private final NotePath path;

    RoomRun(URI server, PianoSettings settings, NotePath path) {
        this.server = server;
        this.settings = settings;
        this.path = path;
    }

    Measurement measure() throws Exception {
        // A room of its own per run: the players of a run just closed may still be leaving the last.
        String roomName = "bench-room-" + path.label() + "-" + RUNS.incrementAndGet();
        List<PeerIdentity> identities = new ArrayList<>();
        for (int p = 0; p < PianoSettings.PLAYERS; p++) {
            identities.add(PeerIdentity.generate());
        }
        NoteLog log = new NoteLog(
                settings, identities.stream().map(i -> i.peerId().toString()).toList());
        List<NetworkPianoRoom> rooms = new ArrayList<>();
        List<CountingTransport> counted = new ArrayList<>();
        List<CountingTransport> relays = new ArrayList<>();
        try {
            for (int p = 0; p < PianoSettings.PLAYERS; p++) {
                String id = identities.get(p).peerId().toString();
                WebSocketTransport relay =
                        WebSocketTransport.create(WebSocketTransportConfig.builder(server, roomName, identities.get(p))
                                .build());
                List<Transport> transports = new ArrayList<>();
                for (Transport transport : path.transports(relay)) {
                    CountingTransport counting = new CountingTransport(transport);
                    counted.add(counting);
                    if (transport == relay) {
                        relays.add(counting);
                    }
                    transports.add(counting);
                }
                NetworkPianoRoom room = NetworkPianoRoom.builder(
                                identities.get(p).peerId(),
                                new Player(
                                        id,
                                        "player " + p,
                                        Player.paletteColor(p),
                                        Instrument.PIANO,
                                        TransportKind.RELAY))
                        .transports(transports)
                        .join();
                room.subscribe(new RoomListener() {
                    @Override
                    public void onMessage(PianoMessage message) {
                        if (message instanceof NoteEvent note && note.on()) {
                            log.arrived(note);
                        }
                    }
                });
                rooms.add(room);
            }
            Waiting.until(
                    "every player lists the other " + (PianoSettings.PLAYERS - 1),
                    settings.patience(),
                    () -> rooms.stream().allMatch(r -> r.players().size() == PianoSettings.PLAYERS));
            if (path == NotePath.WEBRTC
                    && !Waiting.within(settings.patience(), () -> rooms.stream().allMatch(RoomRun::allOverWebRtc))) {
                return Measurement.failed("after " + settings.patience().toSeconds() + " s not every player lists every"
                        + " other over WebRTC, so the notes were not played: " + listed(rooms));
            }
            DocumentVersion before = rooms.get(0).settingsVersion().get(10, TimeUnit.SECONDS);
            long documentBytesBefore = documentBytes(counted);
            long ephemeralBefore = ephemeral(relays);
            GcActivity gcBefore = GcActivity.now();
            KeyClock.play(settings, (player, index) -> {
                NetworkPianoRoom room = rooms.get(player);
                NoteEvent on = log.press(player, index);
                room.send(on);
                room.send(NoteEvent.off(on.playerId(), on.key()));
            });
            Waiting.until(
                    "every note reaches the other players (over " + path.label() + ")",
                    settings.patience(),
                    log::complete);
            GcActivity gc = GcActivity.now().since(gcBefore);
            long changes = 0;
            for (NetworkPianoRoom room : rooms) {
                DocumentVersion after = room.settingsVersion().get(10, TimeUnit.SECONDS);
                changes += after.equals(before) ? 0 : 1;
            }
            List<String> problems = new ArrayList<>();
            long ephemeralOverRelay = 0;
            if (path == NotePath.WEBRTC) {
                ephemeralOverRelay = ephemeral(relays) - ephemeralBefore;
                if (!rooms.stream().allMatch(RoomRun::allOverWebRtc)) {
                    problems.add("a player fell back to the relay while the notes were played: " + listed(rooms));
                }
                if (ephemeralOverRelay > 0) {
                    problems.add(ephemeralOverRelay + " ephemeral envelopes (notes, presence) went over the relay"
                            + " while every player was to be reached over WebRTC");
                }
            }
            return new Measurement(
                    log.latency(),
                    changes,
                    documentBytes(counted) - documentBytesBefore,
                    ephemeralOverRelay,
                    problems,
                    gc);
        } finally {
            rooms.forEach(NetworkPianoRoom::close);
        }
    }

    /** Whether a player lists every other player as reached over WebRTC. */
    private static boolean allOverWebRtc(NetworkPianoRoom room) {
        String self = room.self().id();
        return room.players().stream()
                .filter(p -> !p.id().equals(self))
                .allMatch(p -> p.transport() == TransportKind.WEBRTC);
    }

    /** Each player's list, as {@code player 0 sees {player 1=RELAY, ...}}, for a problem's message. */
    private static String listed(List<NetworkPianoRoom> rooms) {
        return rooms.stream()
                .map(room -> room.self().name() + " sees "
                        + room.players().stream()
                                .filter(p -> !p.id().equals(room.self().id()))
                                .collect(Collectors.toMap(
                                        Player::name, p -> p.transport().name())))
                .collect(Collectors.joining("; "));
    }

    /** Bytes of the settings document's sync and snapshot envelopes handed to the network so far. */
    private static long documentBytes(List<CountingTransport> transports) {
        long bytes = 0;
        for (CountingTransport transport : transports) {
            for (Map.Entry<String, Traffic.Kind> kind :
                    transport.tally().byKind().entrySet()) {
                if (kind.getKey().contains("sync") || kind.getKey().contains("snapshot")) {
                    bytes += kind.getValue().bytes();
                }
            }
        }
        return bytes;
    }

    /** Ephemeral envelopes (chunks of them included) handed to these transports so far. */
    private static long ephemeral(List<CountingTransport> transports) {
        long frames = 0;
        for (CountingTransport transport : transports) {
            for (Map.Entry<String, Traffic.Kind> kind :
                    transport.tally().byKind().entrySet()) {
                if (kind.getKey().endsWith(EPHEMERAL)) {
                    frames += kind.getValue().frames();
                }
            }
        }
        return frames;
    }
}
