package dev.ensemble.piano.session;

import java.util.List;

/**
 * What a player sent, heard and measured: printed as the {@code SUMMARY} line at exit.
 *
 * @param peerId this player's id
 * @param name this player's name
 * @param notesSent note-ons this player played
 * @param notesHeard note-ons this player heard, its own and its peers'
 * @param peers every peer seen during the session, in the order first seen
 */
public record SessionSummary(String peerId, String name, long notesSent, long notesHeard, List<PeerSummary> peers) {
    /** Copies the list. */
    public SessionSummary {
        peers = List.copyOf(peers);
    }
}
