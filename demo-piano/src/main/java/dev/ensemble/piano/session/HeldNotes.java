package dev.ensemble.piano.session;

import dev.ensemble.piano.model.NoteEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which keys each player holds down, so that "release everything player X holds" is one call
 * ({@link #releaseAll}) and no note is left hanging when a player leaves, loses focus or vanishes.
 *
 * <pre>{@code
 * HeldNotes held = new HeldNotes();
 * held.press("bob", 60);
 * held.press("bob", 64);
 * for (int key : held.releaseAll("bob")) sound.noteOff(channel, key);   // 60, 64
 * }</pre>
 *
 * <p>Several players may hold the same key; {@link #holders()} gives each held key its most
 * recent holder (whose colour it lights up in).
 *
 * <p><em>Not thread-safe</em>: owned by one session actor.
 */
public final class HeldNotes {
    /** Per player, the keys held. */
    private final Map<String, TreeSet<Integer>> byPlayer = new HashMap<>();
    /** Per key, its holders, the most recent last. */
    private final Map<Integer, LinkedHashMap<String, Boolean>> byKey = new TreeMap<>();

    /**
     * @param playerId who presses
     * @param key 0 to 127
     * @return true if the key was not held by this player before
     */
    public boolean press(String playerId, int key) {
        Objects.requireNonNull(playerId, "playerId");
        NoteEvent.requireKey(key);
        boolean added = byPlayer.computeIfAbsent(playerId, p -> new TreeSet<>()).add(key);
        LinkedHashMap<String, Boolean> holders = byKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
        holders.remove(playerId);
        holders.put(playerId, Boolean.TRUE);
        return added;
    }

    /**
     * @param playerId who releases
     * @param key 0 to 127
     * @return true if this player held the key
     */
    public boolean release(String playerId, int key) {
        TreeSet<Integer> keys = byPlayer.get(playerId);
        if (keys == null || !keys.remove(key)) {
            return false;
        }
        if (keys.isEmpty()) {
            byPlayer.remove(playerId);
        }
        LinkedHashMap<String, Boolean> holders = byKey.get(key);
        holders.remove(playerId);
        if (holders.isEmpty()) {
            byKey.remove(key);
        }
        return true;
    }

    /**
     * Releases every key a player holds.
     *
     * @param playerId the player
     * @return the keys that were held, ascending; the caller sends their note-offs
     */
    public List<Integer> releaseAll(String playerId) {
        TreeSet<Integer> keys = byPlayer.get(playerId);
        if (keys == null) {
            return List.of();
        }
        List<Integer> released = new ArrayList<>(keys);
        for (int key : released) {
            release(playerId, key);
        }
        return released;
    }

    /**
     * @param playerId the player
     * @return the keys they hold, ascending
     */
    public List<Integer> heldBy(String playerId) {
        TreeSet<Integer> keys = byPlayer.get(playerId);
        return keys == null ? List.of() : List.copyOf(keys);
    }

    /** @return true if nobody holds anything */
    public boolean isEmpty() {
        return byPlayer.isEmpty();
    }

    /** @return each held key and its most recent holder, by key */
    public Map<Integer, String> holders() {
        Map<Integer, String> result = new TreeMap<>();
        byKey.forEach((key, holders) -> {
            String last = null;
            for (String holder : holders.keySet()) {
                last = holder;
            }
            result.put(key, last);
        });
        return result;
    }
}
