package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.piano.model.Instrument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PianoOptionsTest {
    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> PianoOptions.parse(args))
                .getMessage();
    }

    @Test
    void parsesEveryOption() throws UsageException {
        PianoOptions o = PianoOptions.parse(
                "--headless",
                "--bot",
                "song.mid",
                "--bots",
                "3",
                "--seconds",
                "2.5",
                "--record",
                "out.wav",
                "--name",
                "Alice",
                "--instrument",
                "electric-piano");
        assertTrue(o.headless());
        assertEquals(Optional.of("song.mid"), o.bot());
        assertEquals(3, o.bots());
        assertEquals(Optional.of(Duration.ofMillis(2500)), o.seconds());
        assertEquals(Optional.of(Path.of("out.wav")), o.record());
        assertEquals("Alice", o.name());
        assertEquals(Instrument.ELECTRIC_PIANO, o.instrument());
    }

    @Test
    void aBareBotPlaysTheBuiltInMelody() throws UsageException {
        assertEquals(
                Optional.of("melody"), PianoOptions.parse("--headless", "--bot").bot());
        assertEquals(
                Optional.of("melody"), PianoOptions.parse("--bot", "--headless").bot());
    }

    @Test
    void noOptionsOpenTheWindowAsPianist() throws UsageException {
        PianoOptions o = PianoOptions.parse();
        assertFalse(o.headless());
        assertEquals(Instrument.PIANO, o.instrument());
        assertEquals(0, o.bots());
        assertFalse(o.name().isBlank());
    }

    @Test
    void namesTheOptionAndTheValueThatIsWrong() {
        assertEquals("unknown option \"--volume\"", error("--volume", "11"));
        assertEquals("--bots needs a value", error("--headless", "--bots"));
        assertEquals("--bots needs a whole number, but got \"many\"", error("--headless", "--bots", "many"));
        assertEquals("--bots must be 1 to 15, but was 0", error("--headless", "--bots", "0"));
        assertEquals("--seconds needs a number of seconds, but got \"soon\"", error("--headless", "--seconds", "soon"));
        assertEquals(
                "--seconds must be more than 0 and at most 86400, but was -1", error("--headless", "--seconds", "-1"));
        assertEquals(
                "--seconds must be more than 0 and at most 86400, but was NaN",
                error("--headless", "--seconds", "NaN"));
        assertEquals(
                "--record needs a file name ending in .wav, but got \"out.mp3\"",
                error("--headless", "--record", "out.mp3"));
        assertEquals("--name must be 1 to 40 characters and not blank, but was \" \"", error("--name", " "));
        assertTrue(error("--instrument", "kazoo")
                .startsWith("--instrument: unknown instrument \"kazoo\"" + " (expected one of: piano, "));
    }

    @Test
    void inspectionIsOnAndReadOnlyByDefault() throws UsageException {
        assertEquals(Optional.of(InspectionAccess.READ), PianoOptions.parse().inspect());
        assertEquals(
                Optional.of(InspectionAccess.WRITE),
                PianoOptions.parse("--headless", "--inspect-write").inspect());
        assertEquals(
                Optional.empty(),
                PianoOptions.parse("--headless", "--no-inspect").inspect());
        assertEquals(
                "--inspect-write grants write access to the inspection socket that --no-inspect turns off: give one of"
                        + " them",
                error("--no-inspect", "--inspect-write"));
        assertTrue(PianoOptions.USAGE.contains("--no-inspect"));
        assertTrue(PianoOptions.USAGE.contains("--inspect-write"));
    }

    @Test
    void theWindowStartsAServerWithARandomRoomUnlessOneIsGiven() throws UsageException {
        PianoOptions bare = PianoOptions.parse();
        assertTrue(bare.embedded());
        assertTrue(bare.room().matches("[a-z]+-[a-z]+-[1-9][0-9]"), bare.room());
        assertEquals(0, bare.port());
        assertEquals(8787, PianoOptions.parse("--port", "8787").port());
        assertEquals("duet", PianoOptions.parse("--room", "duet").room());

        PianoOptions joining = PianoOptions.parse("--server", "ws://127.0.0.1:8787", "--room", "duet");
        assertFalse(joining.embedded());
        assertEquals("duet", joining.room());
        assertEquals(
                PianoOptions.DEFAULT_ROOM,
                PianoOptions.parse("--server", "ws://127.0.0.1:8787").room());
        assertEquals(PianoOptions.DEFAULT_ROOM, PianoOptions.parse("--headless").room(), "a local headless room");
        assertFalse(PianoOptions.parse("--headless").embedded());
    }

    @Test
    void parsesTheHeadlessNetworkOptions() throws UsageException {
        PianoOptions o = PianoOptions.parse(
                "--headless",
                "--embedded",
                "--port",
                "9000",
                "--stay",
                "--wait-for-players",
                "3",
                "--metronome",
                "132/3",
                "--log-events",
                "heard.jsonl");
        assertTrue(o.stay());
        assertEquals(3, o.waitForPlayers());
        assertEquals(Optional.of(new PianoOptions.Metronome(132, 3)), o.metronome());
        assertEquals(Optional.of(Path.of("heard.jsonl")), o.logEvents());
        assertEquals(9000, o.port());
        assertEquals(
                Optional.of(new PianoOptions.Metronome(90, 4)),
                PianoOptions.parse("--headless", "--metronome", "90").metronome());
    }

    @Test
    void namesWhatIsWrongWithTheNetworkOptions() {
        assertEquals("--port must be 1 to 65535, but was 0", error("--port", "0"));
        assertEquals(
                "--port sets the port of the signaling server this program starts (the window or --bots"
                        + " without --server, or --headless --embedded), but none is started here",
                error("--server", "ws://127.0.0.1:1", "--port", "2"));
        assertEquals(
                "--metronome needs BPM or BPM/BEATS with 40 to 240 BPM and 1 to 16 beats per bar (for example"
                        + " 120/4), but got \"300/4\"",
                error("--headless", "--metronome", "300/4"));
        assertEquals("--wait-for-players must be 1 to 64, but was 0", error("--headless", "--wait-for-players", "0"));
        assertEquals("--stay works only with --headless", error("--stay"));
        assertEquals("--log-events works only with --headless", error("--log-events", "x.jsonl"));
    }

    @Test
    void headlessOnlyOptionsNeedHeadless() {
        assertEquals("--bot works only with --headless", error("--bot"));
        assertEquals("--bots works only with --headless", error("--bots", "2"));
        assertEquals("--record works only with --headless", error("--record", "a.wav"));
        assertEquals("--seconds works only with --headless", error("--seconds", "3"));
        assertEquals("--in-process works only with --headless", error("--in-process"));
    }

    @Test
    void botsPlayThroughAnEmbeddedServerUnlessAskedToStayInProcess() throws UsageException {
        assertTrue(PianoOptions.parse("--headless", "--bots", "3").embedded(), "--bots starts a server");
        assertFalse(
                PianoOptions.parse("--headless", "--bots", "3", "--in-process").embedded());
        assertFalse(
                PianoOptions.parse("--headless", "--bots", "3", "--server", "ws://127.0.0.1:1")
                        .embedded(),
                "a server given is joined, not started");
        assertFalse(PianoOptions.parse("--headless", "--bot").embedded(), "a lone headless player stays local");
        assertTrue(PianoOptions.parse("--headless", "--embedded").embedded());
        assertEquals(
                "--in-process plays in a room inside this process, without a network: it excludes --embedded",
                error("--headless", "--in-process", "--embedded"));
        assertEquals(
                "--in-process plays in a room inside this process, without a network: it excludes --server",
                error("--headless", "--in-process", "--server", "ws://127.0.0.1:1"));
    }
}
