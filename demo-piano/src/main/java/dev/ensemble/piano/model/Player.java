package dev.ensemble.piano.model;

import java.util.Objects;

/**
 * A player in the room as everyone sees them: their presence.
 *
 * <pre>{@code
 * Player alice = new Player("alice", "Alice", 0xE6194B, Instrument.PIANO, TransportKind.LOCAL);
 * }</pre>
 *
 * @param id a stable id, unique in the room (later: the peer's {@code did:key})
 * @param name the name shown to others, 1 to 40 characters
 * @param colorRgb the colour their keys light up in, {@code 0xRRGGBB}
 * @param instrument what they sound like
 * @param transport how their messages reach this player
 */
public record Player(String id, String name, int colorRgb, Instrument instrument, TransportKind transport) {
    /** The longest accepted name. */
    public static final int MAX_NAME_LENGTH = 40;

    /** A palette of colours that stay distinct on white and black keys. */
    private static final int[] PALETTE = {
        0xE6194B, 0x3CB44B, 0x4363D8, 0xF58231, 0x911EB4, 0x42D4F4, 0xF032E6, 0xBFEF45,
        0xFABED4, 0x469990, 0xDCBEFF, 0x9A6324, 0x800000, 0xAAFFC3, 0x808000, 0x000075
    };

    /**
     * @throws IllegalArgumentException if the name is blank or too long
     */
    public Player {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instrument, "instrument");
        Objects.requireNonNull(transport, "transport");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a player name must be 1 to " + MAX_NAME_LENGTH
                    + " characters and not blank, but was \"" + name + "\"");
        }
        colorRgb &= 0xFFFFFF;
    }

    /**
     * @param index any number, for example the order of joining
     * @return a colour of the palette
     */
    public static int paletteColor(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /**
     * @param newInstrument the instrument
     * @return a copy playing it
     */
    public Player withInstrument(Instrument newInstrument) {
        return new Player(id, name, colorRgb, newInstrument, transport);
    }

    /**
     * @param newTransport the transport
     * @return a copy reached through it
     */
    public Player withTransport(TransportKind newTransport) {
        return new Player(id, name, colorRgb, instrument, newTransport);
    }
}
