package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.piano.cli.SummaryLine;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three headless players, each in a JVM of its own, in one room of a real signaling server on
 * 127.0.0.1, over the WebSocket relay. What each heard is read from its {@code --log-events} file.
 */
class SeparateProcessesTest {
    /** JVM start, joining and the melodies, on a loaded two-core machine. */
    private static final Duration PLAYED = Duration.ofSeconds(60);
    /** A vanished peer is noticed when the server sees its socket close. */
    private static final Duration RELEASED = Duration.ofSeconds(10);
    /**
     * The melodies start a second after each player sees the other two, so that the recording has a
     * silent second to check first. (The lead-in is not needed for the notes to arrive: a player's
     * notes that come before its presence wait for it, see PianoRoomActor.)
     */
    private static final int LEAD_IN_MS = 1000;
    /** How much earlier than logged the synthesizer may start a note in the file (its block size). */
    private static final int ONSET_SLACK_MS = 50;
    /** The long note of the player that is killed starts late enough to leave a silent stretch before it. */
    private static final int LONG_NOTE_MS = 4500;

    private static final double LOUD = 0.01;
    private static final double SILENT = 0.001;
    /** How long a released note may still be heard (release and reverb), measured on Gervill. */
    private static final int RING_OUT_MS = 2000;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private SignalingServer server;
    private final List<PeerProcess> peers = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
    }

    @AfterEach
    void stopEverything() {
        peers.forEach(PeerProcess::close);
        server.stop(Duration.ofSeconds(2));
    }

    private PeerProcess peer(String name, String... args) throws IOException {
        PeerProcess peer = PeerProcess.headless(dir, name, server.uri(), "trio", 3, args);
        peers.add(peer);
        return peer;
    }

    @Test
    void everyNoteIsHeardByEveryoneInOrderWithItsInstrumentAndAKilledPlayersNotesAreReleased() throws Exception {
        Map<String, List<Integer>> melodies = new LinkedHashMap<>();
        melodies.put("Ann", List.of(60, 64, 67));
        melodies.put("Bob", List.of(48, 52));
        melodies.put("Cy", List.of(72, 79));
        Map<String, String> instruments = Map.of("Ann", "piano", "Bob", "organ", "Cy", "vibraphone");
        Path wav = dir.resolve("ann.wav");
        PeerProcess ann = peer(
                "Ann",
                "--instrument",
                "piano",
                "--record",
                wav.toString(),
                "--bot",
                midi("ann.mid", new int[][] {{0, 200, 60}, {300, 200, 64}, {600, 200, 67}})
                        .toString());
        PeerProcess bob = peer(
                "Bob",
                "--instrument",
                "organ",
                "--bot",
                midi("bob.mid", new int[][] {{150, 200, 48}, {450, 200, 52}}).toString());
        PeerProcess cy = peer(
                "Cy",
                "--instrument",
                "vibraphone",
                "--bot",
                midi("cy.mid", new int[][] {{200, 150, 72}, {LONG_NOTE_MS, 60_000, 79}})
                        .toString());
        List<PeerProcess> trio = List.of(ann, bob, cy);

        try {
            Await.until("every player hears every note of every melody", PLAYED, () -> {
                trio.forEach(PeerProcess::assertAlive);
                return trio.stream().allMatch(p -> noteOns(p).size() == 7);
            });
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; heard: "
                            + trio.stream()
                                    .map(p -> p.name() + " "
                                            + noteOns(p).stream()
                                                    .map(n -> n.get("name").asText() + ":"
                                                            + n.get("key").asInt())
                                                    .toList())
                                    .collect(Collectors.joining("; "))
                            + "\n"
                            + trio.stream().map(PeerProcess::console).collect(Collectors.joining("\n")),
                    e);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        trio.forEach(p -> ids.put(p.name(), p.id()));
        for (PeerProcess listener : trio) {
            Map<String, List<Integer>> heard = new LinkedHashMap<>();
            for (JsonNode on : noteOns(listener)) {
                String player = on.get("name").asText();
                heard.computeIfAbsent(player, k -> new ArrayList<>())
                        .add(on.get("key").asInt());
                assertEquals(ids.get(player), on.get("player").asText(), on.toString());
                assertEquals(
                        instruments.get(player),
                        on.get("instrument").asText(),
                        listener.name() + " plays " + player + "'s notes with " + player + "'s instrument: " + on);
            }
            assertEquals(melodies, heard, listener.name() + " heard every note of every player, in order");
        }

        long killed = System.currentTimeMillis();
        cy.child().kill();
        for (PeerProcess listener : List.of(ann, bob)) {
            Await.until(
                    listener.name() + " releases the note Cy held when Cy was killed",
                    RELEASED,
                    () -> !listener.events(
                                    "note",
                                    e -> !e.get("on").asBoolean()
                                            && e.get("key").asInt() == 79
                                            && e.get("player").asText().equals(ids.get("Cy"))
                                            && e.get("cause").asText().equals("player-left"))
                            .isEmpty());
            long releasedAt = listener.events(
                            "note",
                            e -> e.get("key").asInt() == 79 && !e.get("on").asBoolean())
                    .get(0)
                    .get("t")
                    .asLong();
            assertTrue(releasedAt - killed < RELEASED.toMillis(), "released " + (releasedAt - killed) + " ms after");
        }

        assertEquals(143, ann.stop(), "SIGTERM ends the JVM with 128 + 15\n" + ann.console());
        assertEquals(143, bob.stop(), bob.console());
        JsonNode summary = summary(ann);
        assertEquals(3, summary.get("self").get("notesSent").asLong());
        assertEquals(7, summary.get("self").get("notesHeard").asLong());
        Map<String, JsonNode> peersOfAnn = new LinkedHashMap<>();
        summary.get("peers").forEach(peer -> peersOfAnn.put(peer.get("name").asText(), peer));
        assertEquals(java.util.Set.of("Bob", "Cy"), peersOfAnn.keySet(), summary.toString());
        // WebRTC where a channel can open (inside the CI's network namespace), the relay elsewhere.
        assertEquals(
                NetNamespace.inside() ? "WEBRTC" : "RELAY",
                peersOfAnn.get("Bob").get("transport").asText(),
                summary.toString());
        assertEquals(2, peersOfAnn.get("Bob").get("notesReceived").asLong(), summary.toString());
        assertEquals(2, peersOfAnn.get("Cy").get("notesReceived").asLong(), summary.toString());
        assertRecordingSoundsWhereNotesWereHeard(ann, wav);
    }

    @Test
    void theMetronomeSetByOnePlayerReachesEveryoneAndItsClicksAreHeardEverywhere() throws Exception {
        PeerProcess leader = peer("Lea", "--metronome", "132/3");
        PeerProcess second = peer("Max");
        PeerProcess third = peer("Noa");
        List<PeerProcess> trio = List.of(leader, second, third);

        Await.until("every player has the leader's metronome and hears its clicks", PLAYED, () -> {
            trio.forEach(PeerProcess::assertAlive);
            String leaderId = leader.id();
            return leaderId != null
                    && trio.stream().allMatch(p -> {
                        List<JsonNode> settings = p.events("settings", e -> true);
                        JsonNode last = settings.isEmpty() ? null : settings.get(settings.size() - 1);
                        return last != null
                                && last.get("metronomeOn").asBoolean()
                                && last.get("tempoBpm").asInt() == 132
                                && last.get("beatsPerBar").asInt() == 3
                                && leaderId.equals(last.get("leader").asText())
                                && p.events(
                                                        "beat",
                                                        e -> e.get("leader")
                                                                .asText()
                                                                .equals(leaderId))
                                                .size()
                                        >= 4;
                    });
        });
        for (PeerProcess p : trio) {
            List<JsonNode> beats = p.events("beat", e -> true);
            for (int i = 1; i < beats.size(); i++) {
                assertEquals(
                        (beats.get(i - 1).get("beat").asInt() + 1) % 3,
                        beats.get(i).get("beat").asInt(),
                        p.name() + " hears the beats of a 3-beat bar in order: " + beats);
            }
        }
        for (PeerProcess p : trio) {
            assertEquals(143, p.stop(), p.console());
        }
    }

    private static List<JsonNode> noteOns(PeerProcess p) {
        return p.events("note", e -> e.get("on").asBoolean());
    }

    private static JsonNode summary(PeerProcess p) throws Exception {
        List<String> output = p.output();
        List<String> lines =
                output.stream().filter(l -> l.startsWith(SummaryLine.PREFIX)).toList();
        assertEquals(1, lines.size(), p.console());
        // Nothing after it: not even webrtc-java's two lines at exit (WebRtcNatives).
        assertEquals(lines.get(0), output.get(output.size() - 1), p.console());
        return new ObjectMapper().readTree(lines.get(0).substring(SummaryLine.PREFIX.length()));
    }

    /**
     * The recording holds every note heard, in the order heard, and the file has sound (RMS over
     * 10 ms windows) where the recording's timeline says a note started, and silence where nothing
     * could still be ringing: before the first note, and from {@value #RING_OUT_MS} ms after every
     * note ended until the next began. The timeline, not the notes' {@code t}, places them in the
     * file: the synthesizer plays a note a moment after the piano hears it, and on a busy machine
     * that moment can be longer than a short note.
     */
    private static void assertRecordingSoundsWhereNotesWereHeard(PeerProcess p, Path wav) throws Exception {
        List<JsonNode> recorded = p.events("recorded", e -> true);
        assertEquals(1, recorded.size(), p.console());
        List<JsonNode> timeline = new ArrayList<>();
        recorded.get(0).get("timeline").forEach(timeline::add);
        List<Integer> heardKeys = p.events("note", e -> e.get("on").asBoolean()).stream()
                .map(n -> n.get("key").asInt())
                .toList();
        List<Integer> recordedKeys = timeline.stream()
                .filter(e -> e.get("on").asBoolean())
                .map(e -> e.get("key").asInt())
                .toList();
        assertEquals(heardKeys, recordedKeys, "the recording holds the notes heard, in order: " + timeline);
        double[] rms = Wav.rmsPerMillisecond(wav);
        List<long[]> sounding = new ArrayList<>();
        Map<String, Long> open = new LinkedHashMap<>();
        for (JsonNode event : timeline) {
            String key = event.get("channel").asInt() + "/" + event.get("key").asInt();
            long at = event.get("ms").asLong();
            if (event.get("on").asBoolean()) {
                open.put(key, at);
                double loud = Wav.mean(rms, at + 10, at + 150);
                assertTrue(loud > LOUD, wav + ": sound at " + event + " (" + at + " ms into the file): " + loud);
            } else if (open.containsKey(key)) {
                sounding.add(new long[] {open.remove(key), at});
            }
        }
        assertTrue(open.isEmpty(), "every note recorded was released: " + open);
        long checkedSilence = 0;
        for (long ms = 0; ms < rms.length; ms += 10) {
            long t = ms;
            boolean quiet =
                    sounding.stream().noneMatch(s -> t + 10 >= s[0] - ONSET_SLACK_MS && t <= s[1] + RING_OUT_MS);
            if (quiet) {
                double level = Wav.max(rms, t, t + 10);
                assertTrue(
                        level < SILENT,
                        "silence at " + t + " ms into the file, where no note rang: " + level
                                + "; notes (on, off) "
                                + sounding.stream().map(s -> s[0] + "-" + s[1]).collect(Collectors.joining(", ")));
                checkedSilence += 10;
            }
        }
        assertTrue(
                checkedSilence >= 1500, "the file has long silent stretches to check, not " + checkedSilence + " ms");
    }

    private Path midi(String name, int[][] notes) throws Exception {
        return MidiFiles.write(dir.resolve(name), LEAD_IN_MS, notes);
    }
}
