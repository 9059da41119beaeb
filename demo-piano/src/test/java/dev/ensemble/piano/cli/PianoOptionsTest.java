package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.piano.model.Instrument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PianoOptionsTest {
    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> PianoOptions.parse(args)).getMessage();
    }

    @Test
    void parsesEveryOption() throws UsageException {
        PianoOptions o = PianoOptions.parse("--headless", "--bot", "song.mid", "--bots", "3", "--seconds", "2.5",
                "--record", "out.wav", "--name", "Alice", "--instrument", "electric-piano");
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
        assertEquals(Optional.of("melody"), PianoOptions.parse("--headless", "--bot").bot());
        assertEquals(Optional.of("melody"), PianoOptions.parse("--bot", "--headless").bot());
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
        assertEquals("--seconds must be more than 0 and at most 86400, but was -1",
                error("--headless", "--seconds", "-1"));
        assertEquals("--seconds must be more than 0 and at most 86400, but was NaN",
                error("--headless", "--seconds", "NaN"));
        assertEquals("--record needs a file name ending in .wav, but got \"out.mp3\"",
                error("--headless", "--record", "out.mp3"));
        assertEquals("--name must be 1 to 40 characters and not blank, but was \" \"", error("--name", " "));
        assertTrue(error("--instrument", "kazoo").startsWith("--instrument: unknown instrument \"kazoo\""
                + " (expected one of: piano, "));
    }

    @Test
    void headlessOnlyOptionsNeedHeadless() {
        assertEquals("--bot works only with --headless", error("--bot"));
        assertEquals("--bots works only with --headless", error("--bots", "2"));
        assertEquals("--record works only with --headless", error("--record", "a.wav"));
        assertEquals("--seconds works only with --headless", error("--seconds", "3"));
    }
}
