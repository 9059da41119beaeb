package dev.ensemble.piano.room;

import java.time.Duration;

/** Names and payloads of the events a {@link PianoRoomActor} emits, one per {@link RoomListener} callback. */
final class RoomEvents {
    /** Payload: the {@link dev.ensemble.piano.model.PianoMessage} of another player. */
    static final String MESSAGE = "piano-message";
    /** Payload: the list of {@link dev.ensemble.piano.model.Player}s present. */
    static final String PLAYERS = "piano-players";
    /** Payload: the {@link dev.ensemble.piano.model.Player} who left. */
    static final String PLAYER_LEFT = "piano-player-left";
    /** Payload: a {@link Latency}. */
    static final String LATENCY = "piano-latency";
    /** Payload: the new {@link dev.ensemble.piano.model.RoomSettings}. */
    static final String SETTINGS = "piano-settings";

    private RoomEvents() {}

    /**
     * A latency sample.
     *
     * @param peerId the peer
     * @param oneWay half the measured round trip
     */
    record Latency(String peerId, Duration oneWay) {}
}
