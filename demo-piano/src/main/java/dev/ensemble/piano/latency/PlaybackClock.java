package dev.ensemble.piano.latency;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides when a player's message is played: now plus its compensation delay, but never before
 * the same player's previous message. Without that rule a shrinking latency estimate could play
 * a note-off before its note-on, and the note would hang.
 *
 * <pre>{@code
 * PlaybackClock clock = new PlaybackClock();
 * long at = clock.playAt("bob", System.nanoTime(), compensation.delayFor("bob"));
 * }</pre>
 *
 * <p><em>Not thread-safe</em>: owned by one player's session actor. Times are
 * {@link System#nanoTime()} values.
 */
public final class PlaybackClock {
    private final Map<String, Long> lastPlayAt = new HashMap<>();

    /**
     * @param playerId whose message
     * @param nowNanos the current {@code System.nanoTime()}
     * @param delay the compensation delay for that player
     * @return the {@code System.nanoTime()} at which to play it: never earlier than the player's
     *     previous message
     */
    public long playAt(String playerId, long nowNanos, Duration delay) {
        Objects.requireNonNull(playerId, "playerId");
        long wanted = nowNanos + Math.max(0, delay.toNanos());
        Long previous = lastPlayAt.get(playerId);
        long at = previous == null || wanted - previous >= 0 ? wanted : previous;
        lastPlayAt.put(playerId, at);
        return at;
    }

    /**
     * Forgets a player who left.
     *
     * @param playerId the player
     */
    public void forget(String playerId) {
        lastPlayAt.remove(playerId);
    }
}
