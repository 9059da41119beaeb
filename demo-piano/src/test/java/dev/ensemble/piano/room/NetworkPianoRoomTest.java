package dev.ensemble.piano.room;

import static dev.ensemble.piano.room.SimPianoRooms.playerId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.piano.model.BeatEvent;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PedalEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.SimPianoRooms.LatencyHeard;
import dev.ensemble.piano.room.SimPianoRooms.LeftHeard;
import dev.ensemble.piano.room.SimPianoRooms.Member;
import dev.ensemble.piano.room.SimPianoRooms.PlayersHeard;
import dev.ensemble.piano.session.HeldNotes;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkPianoRoomTest {
    private final long seed = NetworkSimulator.chooseSeed();
    private SimPianoRooms rooms;

    @BeforeEach
    void threePlayers() {
        rooms = new SimPianoRooms(seed, 3);
    }

    @AfterEach
    void close() {
        rooms.close();
    }

    @Test
    void everyPlayerSeesEveryoneWithTheirInstrumentAndTheMemoryTransport() {
        for (Member member : rooms.members) {
            List<Player> players = member.room.players();
            assertEquals(3, players.size(), "seed " + seed + ": " + member.player.id() + " sees " + players);
            assertEquals(member.player, players.get(0), "this player comes first");
            Map<String, Player> byId = players.stream().collect(Collectors.toMap(Player::id, Function.identity()));
            for (Member other : rooms.members) {
                Player seen = byId.get(other.player.id());
                assertEquals(other.player.name(), seen.name());
                assertEquals(other.player.colorRgb(), seen.colorRgb());
                assertEquals(other.player.instrument(), seen.instrument());
                assertEquals(TransportKind.LOCAL, seen.transport(), "the simulator's transport is named \"memory\"");
            }
        }
    }

    @Test
    void everyNoteEachPlaysIsHeardByEveryOtherPlayerInOrder() {
        Map<String, List<PianoMessage>> sent = new HashMap<>();
        for (int round = 0; round < 20; round++) {
            for (Member member : rooms.members) {
                String id = member.player.id();
                int key = 48 + round + rooms.members.indexOf(member) * 12;
                List<PianoMessage> played = List.of(
                        new NoteEvent(id, key, 1 + round, true, round),
                        new PedalEvent(id, round % 2 == 0, round),
                        new NoteEvent(id, key, 0, false, round));
                for (PianoMessage message : played) {
                    member.room.send(message);
                }
                sent.computeIfAbsent(id, k -> new ArrayList<>()).addAll(played);
            }
        }
        rooms.member(0).room.send(new BeatEvent(rooms.member(0).player.id(), 0, 4, 99));
        sent.get(rooms.member(0).player.id())
                .add(new BeatEvent(rooms.member(0).player.id(), 0, 4, 99));
        rooms.settle();

        for (Member listener : rooms.members) {
            assertTrue(listener.messagesFrom(listener.player.id()).isEmpty(), "a player does not hear itself back");
            for (Member player : rooms.members) {
                if (player != listener) {
                    assertEquals(
                            sent.get(player.player.id()),
                            listener.messagesFrom(player.player.id()),
                            "seed " + seed + ": what " + listener.player.id() + " heard from " + player.player.id());
                }
            }
        }
    }

    @Test
    void eachPlayersActorsFormOneTreeUnderThePianoNamespace() {
        assertEquals(
                List.of(
                        "/piano/peers",
                        "/piano/ephemeral",
                        "/piano/presence",
                        "/piano/settings",
                        "/piano/room",
                        "/piano/members"),
                rooms.member(0).room.actorPaths());
    }

    @Test
    void aPlayerMaySendOnlyItsOwnMessages() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> rooms.member(0).room.send(NoteEvent.on(playerId("player-1"), 60, 90)));
        assertTrue(
                refused.getMessage()
                        .startsWith("player \"" + playerId("player-0") + "\" may only send its own messages"),
                refused.getMessage());
    }

    @Test
    void settingsChangedByDifferentPlayersConvergeEverywhere() {
        Member a = rooms.member(0);
        Member b = rooms.member(1);
        Member c = rooms.member(2);
        RoomSettings atA = a.room.updateSettings(
                        s -> s.withMetronome(true, playerId("player-0")).withTempo(132))
                .join();
        RoomSettings atB = b.room.updateSettings(s -> s.withBeatsPerBar(3)).join();
        String title = c.room.retitle("Tuesday jam").join();
        assertEquals(new RoomSettings(true, 132, 4, playerId("player-0")), atA);
        assertEquals(new RoomSettings(false, 100, 3, null), atB, "b changed only the bar before hearing a");
        assertEquals("Tuesday jam", title);

        rooms.settle();

        RoomSettings expected = new RoomSettings(true, 132, 3, playerId("player-0"));
        for (Member member : rooms.members) {
            assertEquals(expected, member.room.settings(), "seed " + seed + ": settings at " + member.player.id());
            assertEquals("Tuesday jam", member.room.title(), "title at " + member.player.id());
            List<RoomSettings> heard = member.heard(RoomSettings.class);
            assertEquals(expected, heard.get(heard.size() - 1), "the last settings " + member.player.id() + " heard");
        }
    }

    @Test
    void anOverlongTitleIsRefusedWithItsLength() {
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> rooms.member(0).room.retitle("t".repeat(81)).join());
        assertTrue(
                failed.getCause().getMessage().startsWith("a room title must be at most 80 characters, but was 81"),
                failed.getCause().getMessage());
        assertEquals("", rooms.member(0).room.title());
    }

    @Test
    void aRefusedSettingsChangeFailsItsCallerAndChangesNothing() {
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> rooms.member(0).room.updateSettings(s -> s.withTempo(300)).join());
        assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        assertEquals(
                "tempo must be 40 to 240 BPM, but was 300", failed.getCause().getMessage());
        rooms.settle();
        for (Member member : rooms.members) {
            assertEquals(RoomSettings.DEFAULT, member.room.settings());
        }
    }

    @Test
    void aPlayerWhoGoesOfflineIsReportedLeftAndItsHeldNotesAreReleasedOnTheOthers() {
        Member gone = rooms.member(2);
        String goneId = gone.player.id();
        List<HeldNotes> held = new ArrayList<>();
        for (Member member : rooms.members.subList(0, 2)) {
            HeldNotes notes = new HeldNotes();
            held.add(notes);
            member.room.subscribe(new RoomListener() {
                @Override
                public void onMessage(PianoMessage message) {
                    if (message instanceof NoteEvent note && note.on()) {
                        notes.press(note.playerId(), note.key());
                    } else if (message instanceof NoteEvent note) {
                        notes.release(note.playerId(), note.key());
                    }
                }

                @Override
                public void onPlayerLeft(Player player) {
                    notes.releaseAll(player.id());
                }
            });
        }
        gone.room.send(NoteEvent.on(goneId, 60, 90));
        gone.room.send(NoteEvent.on(goneId, 64, 90));
        gone.room.send(PedalEvent.of(goneId, true));
        rooms.settle();
        for (HeldNotes notes : held) {
            assertEquals(List.of(60, 64), notes.heldBy(goneId), "seed " + seed + ": the notes are held first");
        }

        rooms.network.goOffline(PeerId.parse(goneId));
        rooms.settle();

        for (int i = 0; i < 2; i++) {
            Member member = rooms.member(i);
            assertTrue(
                    held.get(i).isEmpty(),
                    "seed " + seed + ": " + member.player.id() + " still holds "
                            + held.get(i).holders());
            assertEquals(List.of(member.player.id(), rooms.member(1 - i).player.id()), member.presentIds());
            List<Object> heard = member.heard;
            int left = indexOf(
                    heard, o -> o instanceof LeftHeard l && l.player().id().equals(goneId));
            int players = lastIndexOf(heard, o -> o instanceof PlayersHeard);
            assertTrue(
                    left >= 0 && left < players,
                    "the departure is reported before the players list without it: "
                            + heard.subList(Math.max(0, left - 1), heard.size()));
            assertEquals(
                    List.of(member.player.id(), rooms.member(1 - i).player.id()),
                    ((PlayersHeard) heard.get(players))
                            .players().stream().map(Player::id).toList());
        }
    }

    @Test
    void aPlayerWhoGoesSilentIsReportedLeftWhenItsPresenceExpires() {
        PeerId silent = TestPeers.id("player-2");
        rooms.network.partition(Set.of(silent), Set.of(TestPeers.id("player-0"), TestPeers.id("player-1")));
        Duration step = Duration.ofSeconds(1);
        for (Duration elapsed = Duration.ZERO;
                elapsed.compareTo(Duration.ofSeconds(40)) < 0;
                elapsed = elapsed.plus(step)) {
            rooms.network.runFor(step);
            rooms.members.forEach(m -> m.room.checkPresenceNow());
        }
        rooms.settle();

        for (Member member : List.of(rooms.member(0), rooms.member(1))) {
            assertEquals(
                    List.of(playerId("player-2")),
                    member.heard(LeftHeard.class).stream()
                            .map(l -> l.player().id())
                            .toList(),
                    "seed " + seed + ": " + member.player.id() + " saw the silent player go");
            assertEquals(2, member.room.players().size());
        }
        assertEquals(
                2,
                rooms.member(0).room.players().stream()
                        .filter(p -> !p.id().equals(playerId("player-2")))
                        .count());
    }

    @Test
    void aPlayerWhoLeavesIsReportedLeftByEveryoneElse() {
        rooms.member(1).room.close();
        rooms.settle();
        for (Member member : List.of(rooms.member(0), rooms.member(2))) {
            assertEquals(
                    List.of(playerId("player-1")),
                    member.heard(LeftHeard.class).stream()
                            .map(l -> l.player().id())
                            .toList(),
                    "seed " + seed);
            assertEquals(2, member.room.players().size());
        }
    }

    @Test
    void playingManyNotesLeavesTheSettingsDocumentUnchanged() {
        rooms.member(0).room.updateSettings(s -> s.withTempo(90)).join();
        rooms.settle();
        List<DocumentVersion> before = versions();
        assertEquals(1, before.stream().distinct().count(), "seed " + seed + ": everyone starts at one version");

        for (int i = 0; i < 300; i++) {
            for (Member member : rooms.members) {
                member.room.send(NoteEvent.on(member.player.id(), 40 + i % 40, 64));
                member.room.send(NoteEvent.off(member.player.id(), 40 + i % 40));
                member.room.send(PedalEvent.of(member.player.id(), i % 2 == 0));
            }
            if (i % 50 == 0) {
                rooms.settle();
            }
        }
        rooms.settle();

        assertEquals(before, versions(), "notes and pedal never enter the settings document");
        assertEquals(2 * 600, rooms.member(0).heard(NoteEvent.class).size(), "every note of both others arrived");
        rooms.member(1).room.updateSettings(s -> s.withTempo(90)).join();
        assertEquals(before, versions(), "setting a value to what it is writes nothing");
    }

    @Test
    void eachPingReportsHalfTheRoundTripAsLatency() {
        rooms.member(0).room.pingPeersNow();
        rooms.member(0).room.pingPeersNow();
        rooms.settle();
        List<LatencyHeard> samples = rooms.member(0).heard(LatencyHeard.class);
        assertEquals(
                List.of(playerId("player-1"), playerId("player-2"), playerId("player-1"), playerId("player-2")),
                samples.stream().map(LatencyHeard::peerId).toList(),
                "seed " + seed);
        for (LatencyHeard sample : samples) {
            assertEquals(SimPianoRooms.ONE_WAY, sample.oneWay(), "virtual one-way latency of " + sample.peerId());
        }
        assertTrue(rooms.member(1).heard(LatencyHeard.class).isEmpty(), "only the pinging player hears samples");
    }

    @Test
    void aNewInstrumentReachesEveryoneElse() {
        Player changed = rooms.member(0).player.withInstrument(Instrument.ORGAN);
        rooms.member(0).room.updatePresence(changed);
        rooms.settle();
        assertEquals(changed, rooms.member(0).room.self());
        for (Member member : rooms.members.subList(1, 3)) {
            Player seen = member.room.players().stream()
                    .filter(p -> p.id().equals(playerId("player-0")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Instrument.ORGAN, seen.instrument(), "seed " + seed + ": at " + member.player.id());
        }
    }

    @Test
    void aPlayerWhoseIdIsNotItsPeerIdIsRefused() {
        Player player = new Player("alice", "Alice", 0, Instrument.PIANO, TransportKind.LOCAL);
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> NetworkPianoRoom.builder(TestPeers.id("bob"), player));
        assertEquals(
                "a network player's id must be its peer id \"" + TestPeers.id("bob") + "\", but was \"alice\"",
                refused.getMessage());
        Player alice = new Player(playerId("alice"), "Alice", 0, Instrument.PIANO, TransportKind.LOCAL);
        IllegalStateException noTransport = assertThrows(
                IllegalStateException.class,
                () -> NetworkPianoRoom.builder(TestPeers.id("alice"), alice).join());
        assertTrue(noTransport.getMessage().startsWith("a network piano room needs at least one transport"));
    }

    private List<DocumentVersion> versions() {
        return rooms.members.stream().map(m -> m.room.settingsVersion().join()).toList();
    }

    private static int indexOf(List<Object> list, Predicate<Object> test) {
        synchronized (list) {
            for (int i = 0; i < list.size(); i++) {
                if (test.test(list.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static int lastIndexOf(List<Object> list, Predicate<Object> test) {
        synchronized (list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (test.test(list.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }
}
