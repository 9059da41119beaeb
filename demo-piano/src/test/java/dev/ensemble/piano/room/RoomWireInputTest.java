package dev.ensemble.piano.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import org.junit.jupiter.api.Test;

/** What peers publish is input from the network: bad values are repaired, never fatal. */
class RoomWireInputTest {
    @Test
    void aPresenceCardWithABlankNameShowsThePeersShortForm() {
        PeerId peer = TestPeers.id("peer-7");
        Player player = new PresenceCard("   ", 0x123456, "FLUTE").toPlayer(peer, TransportKind.RELAY);
        assertEquals(
                new Player(peer.toString(), peer.shortForm(), 0x123456, Instrument.FLUTE, TransportKind.RELAY), player);
    }

    @Test
    void aPresenceCardWithAnOverlongNameIsCutToTheLimit() {
        Player player = new PresenceCard("x".repeat(500), 0, "PIANO").toPlayer(TestPeers.id("p"), TransportKind.WEBRTC);
        assertEquals(Player.MAX_NAME_LENGTH, player.name().length());
    }

    @Test
    void aPresenceCardWithAnUnknownOrMissingInstrumentPlaysThePiano() {
        assertEquals(
                Instrument.PIANO,
                new PresenceCard("Ada", 0, "THEREMIN")
                        .toPlayer(TestPeers.id("p"), TransportKind.LOCAL)
                        .instrument());
        assertEquals(
                Instrument.PIANO,
                new PresenceCard(null, 0, null)
                        .toPlayer(TestPeers.id("p"), TransportKind.LOCAL)
                        .instrument());
    }

    @Test
    void settingsOutOfRangeInTheDocumentAreClampedIntoRange() {
        assertEquals(
                new RoomSettings(false, RoomSettings.MAX_TEMPO, RoomSettings.MIN_BEATS_PER_BAR, null),
                new RoomDocument("", false, 999, -3, "").settings());
        assertEquals(
                new RoomSettings(false, RoomSettings.MIN_TEMPO, RoomSettings.MAX_BEATS_PER_BAR, null),
                new RoomDocument("", false, 1, 99, "").settings());
    }

    @Test
    void aRunningMetronomeWithoutALeaderReadsAsStopped() {
        assertEquals(RoomSettings.DEFAULT, new RoomDocument("", true, 100, 4, "").settings());
    }

    @Test
    void missingFieldsReadAsTheDefaults() {
        assertEquals(RoomSettings.DEFAULT, new RoomDocument(null, null, null, null, null).settings());
    }

    @Test
    void transportNamesMapToWhatThePlayersListShows() {
        assertEquals(TransportKind.WEBRTC, TransportKind.fromName("webrtc"));
        assertEquals(TransportKind.RELAY, TransportKind.fromName("websocket"));
        assertEquals(TransportKind.RELAY, TransportKind.fromName("websocket+sealed"));
        assertEquals(TransportKind.LOCAL, TransportKind.fromName("memory"));
        assertEquals(TransportKind.OTHER, TransportKind.fromName("carrier-pigeon"));
    }
}
