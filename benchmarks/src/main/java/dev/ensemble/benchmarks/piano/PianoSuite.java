package dev.ensemble.benchmarks.piano;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.benchmarks.collab.CountingTransport;
import dev.ensemble.benchmarks.collab.Traffic;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.collab.transport.PeerId;
import dev.ensemble.collab.transport.Transport;
import dev.ensemble.collab.transport.TransportListener;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.room.NetworkPianoRoom;
import dev.ensemble.piano.room.RoomListener;
import dev.ensemble.signaling.identity.PeerIdentity;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Note latency in the piano room over the WebSocket relay: 4 players in one JVM, each a
 * {@link NetworkPianoRoom} over its own {@link WebSocketTransport} through a {@link SignalingServer}
 * on 127.0.0.1, each pressing and releasing one key 20 times a second until the room has played
 * 10,000 notes (2,500 each; {@code --quick}: 1,000), after a warm-up of {@value #WARM_UP_NOTES} notes each
 * that is played the same way but not measured. Measured: one-way latency from
 * {@code PianoRoom.send} of a note-on to its arrival at each other player's {@code RoomListener}
 * (p50, p99, max), and the settings document's change while the notes are played (its heads, and
 * the document's bytes on the wire).
 *
 * <p>Comparator: the same notes, JSON-encoded as the piano sends them, broadcast by four bare
 * {@code WebSocketTransport}s in another room of the same server (three {@code send}s a note,
 * decoded on arrival). The difference is the collaboration stack: peer messaging, the ephemeral
 * channel, the room actor and the listener hop.
 *
 * <p>Run with {@code benchmarks/run piano}.
 */
public final class PianoSuite {
    private static final int PLAYERS = 4;
    /** Notes each player plays first, unmeasured, so that the JIT and the sockets settle. */
    private static final int WARM_UP_NOTES = 100;
    private static final Duration NOTE_INTERVAL = Duration.ofMillis(50);
    private static final Duration JOIN_WAIT = Duration.ofSeconds(30);
    /** 88 keys times 127 velocities tell a player's notes apart: at most 11,176 per player. */
    private static final int LOWEST_KEY = 21;
    private static final int KEYS = 88;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PianoSuite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int measured = (quick ? 1_000 : 10_000) / PLAYERS;
        int notesPerPlayer = WARM_UP_NOTES + measured;
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().host("127.0.0.1").port(0)
                .metricsPort(SignalingServerConfig.METRICS_DISABLED).build()).start();
        try {
            System.out.printf("# %d players, %d notes each (the first %d unmeasured) at %d notes/s, over the relay"
                    + " of %s%n", PLAYERS, notesPerPlayer, WARM_UP_NOTES, 1000 / NOTE_INTERVAL.toMillis(), server.uri());
            Run raw = measureRaw(server.uri(), notesPerPlayer);
            Run ours = measureRoom(server.uri(), notesPerPlayer);
            System.out.printf("result piano-notes-measured %d notes%n", PLAYERS * measured);
            System.out.printf("result piano-notes-received-ours %d receipts%n", ours.latency.getTotalCount());
            System.out.printf("result piano-notes-received-raw %d receipts%n", raw.latency.getTotalCount());
            print("ours", ours.latency);
            print("raw", raw.latency);
            System.out.printf("result piano-doc-changes %d changes%n", ours.documentChanges);
            System.out.printf("result piano-doc-bytes-sent %d bytes%n", ours.documentBytes);
            System.out.printf("ratio piano-latency-p50-lower-better %.2f%n", ms(ours.latency, 50) / ms(raw.latency, 50));
            System.out.printf("ratio piano-latency-p99-lower-better %.2f%n", ms(ours.latency, 99) / ms(raw.latency, 99));
            double p99 = ms(ours.latency, 99);
            System.out.printf("target relay-note-latency-p99 %.2f ms <= 5 ms %s%n", p99, p99 <= 5 ? "met" : "NOT MET");
            System.out.printf("target doc-growth-per-%d-notes %d changes == 0 %s%n", PLAYERS * measured,
                    ours.documentChanges, ours.documentChanges == 0 ? "met" : "NOT MET");
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private record Run(Histogram latency, long documentChanges, long documentBytes) {
    }

    private static void print(String who, Histogram latency) {
        System.out.printf("result piano-latency-p50-ms-%s %.3f ms%n", who, ms(latency, 50));
        System.out.printf("result piano-latency-p99-ms-%s %.3f ms%n", who, ms(latency, 99));
        System.out.printf("result piano-latency-max-ms-%s %.3f ms%n", who, latency.getMaxValue() / 1e6);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** Which note of a player a (key, velocity) pair is. */
    private static int noteIndex(int key, int velocity) {
        return (velocity - 1) * KEYS + (key - LOWEST_KEY);
    }

    private static NoteEvent noteOn(String player, int index) {
        return NoteEvent.on(player, LOWEST_KEY + index % KEYS, 1 + index / KEYS);
    }

    private static Run measureRoom(URI server, int notesPerPlayer) throws Exception {
        List<NetworkPianoRoom> rooms = new ArrayList<>();
        List<CountingTransport> counted = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        AtomicLongArray sentAt = new AtomicLongArray(PLAYERS * notesPerPlayer);
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong receipts = new AtomicLong();
        try {
            for (int p = 0; p < PLAYERS; p++) {
                PeerIdentity identity = PeerIdentity.generate();
                String id = identity.peerId().toString();
                indexOf.put(id, p);
                CountingTransport relay = new CountingTransport(WebSocketTransport.create(
                        WebSocketTransportConfig.builder(server, "bench-room", identity).build()));
                counted.add(relay);
                NetworkPianoRoom room = NetworkPianoRoom.builder(PeerId.of(id),
                        new Player(id, "player " + p, Player.paletteColor(p), Instrument.PIANO,
                                dev.ensemble.piano.model.Transport.RELAY)).transport(relay).join();
                room.subscribe(new RoomListener() {
                    @Override
                    public void onMessage(PianoMessage message) {
                        if (message instanceof NoteEvent note && note.on()) {
                            received(note, indexOf, sentAt, notesPerPlayer, latency, receipts);
                        }
                    }
                });
                rooms.add(room);
            }
            await("every player lists the other " + (PLAYERS - 1), () -> rooms.stream()
                    .allMatch(r -> r.players().size() == PLAYERS));
            DocumentVersion before = rooms.get(0).settingsVersion().get(10, TimeUnit.SECONDS);
            long documentBytesBefore = documentBytes(counted);
            play(notesPerPlayer, (player, index) -> {
                NetworkPianoRoom room = rooms.get(player);
                NoteEvent on = noteOn(room.self().id(), index);
                sentAt.set(player * notesPerPlayer + index, System.nanoTime());
                room.send(on);
                room.send(NoteEvent.off(room.self().id(), on.key()));
            });
            long expected = (long) PLAYERS * notesPerPlayer * (PLAYERS - 1);
            await("every note reaches the other players", () -> receipts.get() >= expected);
            long changes = 0;
            for (NetworkPianoRoom room : rooms) {
                DocumentVersion after = room.settingsVersion().get(10, TimeUnit.SECONDS);
                changes += after.equals(before) ? 0 : 1;
            }
            return new Run(latency, changes, documentBytes(counted) - documentBytesBefore);
        } finally {
            rooms.forEach(NetworkPianoRoom::close);
        }
    }

    /** Records the latency of a note-on that arrived, unless it was a warm-up note. */
    private static void received(NoteEvent note, Map<String, Integer> indexOf, AtomicLongArray sentAt,
                                 int notesPerPlayer, Histogram latency, AtomicLong receipts) {
        int index = noteIndex(note.key(), note.velocity());
        long at = sentAt.get(indexOf.get(note.playerId()) * notesPerPlayer + index);
        if (index >= WARM_UP_NOTES) {
            latency.recordValue(System.nanoTime() - at);
        }
        receipts.incrementAndGet();
    }

    /** Bytes of the settings document's sync and snapshot envelopes handed to the network so far. */
    private static long documentBytes(List<CountingTransport> transports) {
        long bytes = 0;
        for (CountingTransport transport : transports) {
            for (Map.Entry<String, Traffic.Kind> kind : transport.tally().byKind().entrySet()) {
                if (kind.getKey().contains("sync") || kind.getKey().contains("snapshot")) {
                    bytes += kind.getValue().bytes();
                }
            }
        }
        return bytes;
    }

    private static Run measureRaw(URI server, int notesPerPlayer) throws Exception {
        List<WebSocketTransport> transports = new ArrayList<>();
        List<PeerId> ids = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        AtomicLongArray sentAt = new AtomicLongArray(PLAYERS * notesPerPlayer);
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong receipts = new AtomicLong();
        AtomicLong connections = new AtomicLong();
        try {
            for (int p = 0; p < PLAYERS; p++) {
                PeerIdentity identity = PeerIdentity.generate();
                String id = identity.peerId().toString();
                indexOf.put(id, p);
                ids.add(PeerId.of(id));
                WebSocketTransport transport = WebSocketTransport.create(
                        WebSocketTransportConfig.builder(server, "bench-raw", identity).build());
                transport.start(new TransportListener() {
                    @Override
                    public void onPeerConnected(PeerId peer) {
                        connections.incrementAndGet();
                    }

                    @Override
                    public void onMessage(PeerId from, byte[] message) {
                        try {
                            NoteEvent note = JSON.readValue(message, NoteEvent.class);
                            if (note.on()) {
                                received(note, indexOf, sentAt, notesPerPlayer, latency, receipts);
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException("a raw note did not decode: " + e.getMessage(), e);
                        }
                    }
                });
                transports.add(transport);
            }
            await("every transport sees the other " + (PLAYERS - 1), () -> connections.get() == PLAYERS * (PLAYERS - 1));
            play(notesPerPlayer, (player, index) -> {
                NoteEvent on = noteOn(ids.get(player).value(), index);
                sentAt.set(player * notesPerPlayer + index, System.nanoTime());
                broadcast(transports.get(player), ids, player, on);
                broadcast(transports.get(player), ids, player, NoteEvent.off(on.playerId(), on.key()));
            });
            long expected = (long) PLAYERS * notesPerPlayer * (PLAYERS - 1);
            await("every raw note reaches the other transports", () -> receipts.get() >= expected);
            return new Run(latency, 0, 0);
        } finally {
            transports.forEach(Transport::close);
        }
    }

    private static void broadcast(Transport transport, List<PeerId> ids, int self, NoteEvent note) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(note);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int p = 0; p < ids.size(); p++) {
            if (p != self && !transport.send(ids.get(p), bytes)) {
                throw new IllegalStateException("the raw transport refused a note to " + ids.get(p));
            }
        }
    }

    /** What one player does for one note. */
    private interface Press {
        void press(int player, int index);
    }

    /** Every player presses a key each {@link #NOTE_INTERVAL}, the players spread evenly over it. */
    private static void play(int notesPerPlayer, Press press) throws InterruptedException {
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "piano-bench-keys");
            thread.setDaemon(true);
            return thread;
        });
        try {
            AtomicIntegerArray next = new AtomicIntegerArray(PLAYERS);
            long step = NOTE_INTERVAL.toNanos() / PLAYERS;
            for (int p = 0; p < PLAYERS; p++) {
                int player = p;
                clock.scheduleAtFixedRate(() -> {
                    int index = next.get(player);
                    if (index < notesPerPlayer) {
                        press.press(player, index);
                        next.set(player, index + 1);
                    }
                }, step * p, NOTE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
            }
            long deadline = System.nanoTime() + NOTE_INTERVAL.toNanos() * (notesPerPlayer + 20L);
            await("the players finish", Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(30),
                    () -> java.util.stream.IntStream.range(0, PLAYERS).allMatch(p -> next.get(p) >= notesPerPlayer));
        } finally {
            clock.shutdownNow();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, JOIN_WAIT, condition);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
