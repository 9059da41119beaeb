package dev.ensemble.piano.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The General MIDI instruments a player can choose; each player is heard with their own.
 *
 * <pre>{@code
 * Instrument organ = Instrument.parse("organ");   // DRAWBAR_ORGAN, GM program 16
 * }</pre>
 */
public enum Instrument {
    /** GM 1. */
    PIANO(0, "Acoustic grand piano"),
    /** GM 3. */
    HONKY_TONK(3, "Honky-tonk piano"),
    /** GM 5. */
    ELECTRIC_PIANO(4, "Electric piano"),
    /** GM 7. */
    HARPSICHORD(6, "Harpsichord"),
    /** GM 12. */
    VIBRAPHONE(11, "Vibraphone"),
    /** GM 17. */
    ORGAN(16, "Drawbar organ"),
    /** GM 25. */
    GUITAR(24, "Nylon guitar"),
    /** GM 33. */
    BASS(32, "Acoustic bass"),
    /** GM 49. */
    STRINGS(48, "String ensemble"),
    /** GM 57. */
    TRUMPET(56, "Trumpet"),
    /** GM 74. */
    FLUTE(73, "Flute"),
    /** GM 81. */
    SYNTH(80, "Square lead synth"),
    /** GM 89. */
    PAD(88, "New age pad");

    private final int program;
    private final String displayName;

    Instrument(int program, String displayName) {
        this.program = program;
        this.displayName = displayName;
    }

    /** @return the General MIDI program number, 0-based */
    public int program() {
        return program;
    }

    /** @return a name to show to people */
    public String displayName() {
        return displayName;
    }

    /**
     * Parses a name as typed on the command line: case-insensitive, {@code -} or {@code _}.
     *
     * @param name for example {@code electric-piano}
     * @return the instrument
     * @throws IllegalArgumentException naming the accepted names if it is unknown
     */
    public static Instrument parse(String name) {
        String normal = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Instrument instrument : values()) {
            if (instrument.name().equals(normal)) {
                return instrument;
            }
        }
        throw new IllegalArgumentException("unknown instrument \"" + name + "\" (expected one of: " + names() + ")");
    }

    /** @return the accepted names, comma-separated */
    public static String names() {
        return Arrays.stream(values())
                .map(i -> i.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return displayName;
    }
}
