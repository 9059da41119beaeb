package dev.ensemble.piano.room;

import dev.ensemble.core.Subscription;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's membership of a {@link LocalRoomHub}. Thread-safe; listeners are called on the
 * hub's delivery thread.
 */
final class LocalPianoRoom implements PianoRoom {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPianoRoom.class);

    private final LocalRoomHub hub;
    private final Duration distance;
    private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Player self;
    private volatile boolean closed;

    LocalPianoRoom(LocalRoomHub hub, Player self, Duration distance) {
        this.hub = hub;
        this.self = self;
        this.distance = distance;
    }

    Duration distance() {
        return distance;
    }

    @Override
    public Player self() {
        return self;
    }

    @Override
    public void send(PianoMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.playerId().equals(self.id())) {
            throw new IllegalArgumentException(
                    "player \"" + self.id() + "\" may only send its own messages, not " + message);
        }
        if (!closed) {
            hub.send(this, message);
        }
    }

    @Override
    public Subscription subscribe(RoomListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public List<Player> players() {
        return hub.players();
    }

    @Override
    public void updatePresence(Player updated) {
        if (!updated.id().equals(self.id())) {
            throw new IllegalArgumentException(
                    "presence of player \"" + self.id() + "\" cannot change its id to \"" + updated.id() + "\"");
        }
        self = updated.withTransport(self.transport());
        hub.presenceChanged();
    }

    @Override
    public RoomSettings settings() {
        return hub.settings();
    }

    @Override
    public CompletableFuture<RoomSettings> updateSettings(UnaryOperator<RoomSettings> change) {
        return hub.updateSettings(change);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            hub.leave(this);
        }
    }

    void deliver(PianoMessage message) {
        notifyAll(l -> l.onMessage(message));
    }

    void playersChanged(List<Player> players) {
        notifyAll(l -> l.onPlayers(players));
    }

    void playerLeft(Player player) {
        notifyAll(l -> l.onPlayerLeft(player));
    }

    void latencyMeasured(String peerId, Duration oneWay) {
        notifyAll(l -> l.onLatency(peerId, oneWay));
    }

    void settingsChanged(RoomSettings settings) {
        notifyAll(l -> l.onSettings(settings));
    }

    private void notifyAll(Consumer<RoomListener> call) {
        if (closed) {
            return;
        }
        for (RoomListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("room listener of player {} threw; the others still hear the room", self.id(), e);
            }
        }
    }
}
