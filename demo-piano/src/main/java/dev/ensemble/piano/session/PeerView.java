package dev.ensemble.piano.session;

import dev.ensemble.piano.model.Player;
import java.time.Duration;

/**
 * A player in the players list, as this player sees them.
 *
 * @param player their presence (name, colour, instrument, transport)
 * @param latency the rolling average one-way latency to them; zero for this player and before
 *     the first measurement
 * @param delay how long their notes are delayed for compensation
 * @param self whether this is this player
 */
public record PeerView(Player player, Duration latency, Duration delay, boolean self) {}
