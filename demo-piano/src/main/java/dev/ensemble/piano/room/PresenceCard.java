package dev.ensemble.piano.room;

import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.transport.PeerId;

/**
 * What a player publishes as presence: name, colour and instrument. The id is the sending peer's
 * and the transport is what this player uses to reach it, so neither travels.
 *
 * @param name the name shown to others
 * @param colorRgb {@code 0xRRGGBB}
 * @param instrument an {@link Instrument} constant's name
 */
record PresenceCard(String name, int colorRgb, String instrument) {
    static PresenceCard of(Player player) {
        return new PresenceCard(
                player.name(), player.colorRgb(), player.instrument().name());
    }

    /**
     * Turns what a peer published into a player. A peer's card is input from the network: a
     * missing, blank or over-long name and an unknown instrument (a newer peer's, say) are
     * replaced rather than refused, so the peer still appears and its notes still play. A missing
     * name shows the peer's short form ({@code z6Mk...sdvktH}): its whole did:key is longer than a
     * name may be.
     */
    Player toPlayer(PeerId peer, TransportKind transport) {
        String shown = name == null ? "" : name.strip();
        if (shown.isEmpty()) {
            shown = peer.shortForm();
        }
        if (shown.length() > Player.MAX_NAME_LENGTH) {
            shown = shown.substring(0, Player.MAX_NAME_LENGTH);
        }
        return new Player(peer.toString(), shown, colorRgb, instrumentOrPiano(), transport);
    }

    private Instrument instrumentOrPiano() {
        if (instrument != null) {
            for (Instrument known : Instrument.values()) {
                if (known.name().equals(instrument)) {
                    return known;
                }
            }
        }
        return Instrument.PIANO;
    }
}
