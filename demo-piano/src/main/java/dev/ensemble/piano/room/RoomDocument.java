package dev.ensemble.piano.room;

import dev.ensemble.piano.model.RoomSettings;

/**
 * The room's collaboration document as Jackson reads it: title and metronome. Fields are boxed
 * because the document comes from peers: a missing field reads as null and falls back to the
 * default instead of failing.
 *
 * @param title the room's title (collaborative text)
 * @param metronomeOn whether the metronome clicks
 * @param tempoBpm beats per minute
 * @param beatsPerBar beats per bar
 * @param metronomeLeader the leader's player id (a last-writer-wins scalar), empty for none
 */
record RoomDocument(String title, Boolean metronomeOn, Integer tempoBpm, Integer beatsPerBar, String metronomeLeader) {
    static final RoomDocument INITIAL =
            new RoomDocument("", false, RoomSettings.DEFAULT.tempoBpm(), RoomSettings.DEFAULT.beatsPerBar(), "");

    /**
     * The settings this document holds. Out-of-range values a peer may have written are clamped
     * into range, and a running metronome without a leader reads as stopped, so a bad write never
     * stops the piano from reading its settings.
     */
    RoomSettings settings() {
        int tempo = clamp(tempoBpm, RoomSettings.DEFAULT.tempoBpm(), RoomSettings.MIN_TEMPO, RoomSettings.MAX_TEMPO);
        int beats = clamp(
                beatsPerBar,
                RoomSettings.DEFAULT.beatsPerBar(),
                RoomSettings.MIN_BEATS_PER_BAR,
                RoomSettings.MAX_BEATS_PER_BAR);
        String leader = metronomeLeader == null || metronomeLeader.isEmpty() ? null : metronomeLeader;
        boolean on = Boolean.TRUE.equals(metronomeOn) && leader != null;
        return new RoomSettings(on, tempo, beats, leader);
    }

    String titleOrEmpty() {
        return title == null ? "" : title;
    }

    private static int clamp(Integer value, int fallback, int min, int max) {
        return value == null ? fallback : Math.max(min, Math.min(max, value));
    }
}
