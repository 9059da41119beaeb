package dev.ensemble.piano.session;

import dev.ensemble.piano.sound.SoundActions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Gives each player a MIDI channel of their own, so each is heard with their own instrument:
 * this player gets channel 0, peers the next free ones, never the percussion channel 9 (the
 * metronome's). With more than 15 players, newcomers share channels round-robin (they then
 * sound with the instrument chosen last on that channel).
 *
 * <p><em>Not thread-safe</em>: owned by one session actor.
 */
final class ChannelAllocator {
    private static final int CHANNELS = 16;

    private final Map<String, Integer> channels = new HashMap<>();
    private final String[] owners = new String[CHANNELS];
    private int shared;

    ChannelAllocator(String selfId) {
        channelOf(selfId);
    }

    int channelOf(String playerId) {
        Objects.requireNonNull(playerId, "playerId");
        Integer existing = channels.get(playerId);
        if (existing != null) {
            return existing;
        }
        for (int channel = 0; channel < CHANNELS; channel++) {
            if (channel != SoundActions.PERCUSSION_CHANNEL && owners[channel] == null) {
                owners[channel] = playerId;
                channels.put(playerId, channel);
                return channel;
            }
        }
        int channel;
        do {
            shared = (shared + 1) % CHANNELS;
            channel = shared;
        } while (channel == 0 || channel == SoundActions.PERCUSSION_CHANNEL);
        channels.put(playerId, channel);
        return channel;
    }

    void free(String playerId) {
        Integer channel = channels.remove(playerId);
        if (channel != null && playerId.equals(owners[channel])) {
            owners[channel] = null;
        }
    }
}
