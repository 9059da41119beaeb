package dev.ensemble.piano.room;

import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralMessage;
import dev.ensemble.collab.ephemeral.PeerPresence;
import dev.ensemble.collab.ephemeral.RoomPresence;
import dev.ensemble.collab.ephemeral.Topic;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.piano.model.BeatEvent;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PedalEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.internal.RoomActions;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's view of a network piano room. It turns what the collaboration actors report into
 * what a {@link RoomListener} hears, as {@link RoomEvents}: other players' messages from the
 * ephemeral channel, the players list from presence and the roster (with each peer's transport),
 * departures, latency samples from pings, and the settings document's changes. Because all of it
 * passes through this actor's turns, a player's {@code player-left} is always emitted before the
 * players list without them, and no message of a player is emitted after they left (until their
 * presence returns).
 *
 * <p>A peer's presence and its first notes travel by different actors, so its first notes can
 * arrive before its presence (a player starts playing as soon as it sees the others, and they may
 * not see it yet). Messages of a connected peer that is not listed yet wait, up to
 * {@value #MAX_WAITING} per peer, and are emitted in order right after the players list that
 * first shows that peer; they are dropped if the peer disconnects first, and those that waited
 * longer than {@link #MAX_WAIT} are dropped rather than played late.
 */
final class PianoRoomActor extends Actor<RoomView> implements RoomActions {
    private static final Logger LOG = LoggerFactory.getLogger(PianoRoomActor.class);

    /** The most messages kept for a connected peer whose presence has not arrived; later ones are dropped. */
    static final int MAX_WAITING = 256;

    /** The longest a message waits for its sender's presence; older ones would sound stale. */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final Duration pingInterval;
    /** Turn-owned: messages of connected peers not listed yet, in arrival order. */
    private final Map<String, ArrayDeque<Early>> waiting = new HashMap<>();
    /** Turn-owned: the other players present, in the order they were first seen. */
    private Map<String, Player> present = new LinkedHashMap<>();
    /** Turn-owned: the latest presence and roster heard. */
    private RoomPresence<PresenceCard> presence = RoomPresence.empty();

    private Roster roster = Roster.empty();

    PianoRoomActor(Player self, Duration pingInterval) {
        super(new RoomView(self, List.of(self), RoomDocument.INITIAL.settings(), ""));
        this.pingInterval = pingInterval;
    }

    @Override
    protected void onStart() {
        dependency(NetworkPianoRoom.PRESENCE).actions().update(PresenceCard.of(state().self()));
        presence = dependency(NetworkPianoRoom.PRESENCE).state();
        roster = dependency(NetworkPianoRoom.PEERS).state();
        documentChanged(dependency(NetworkPianoRoom.SETTINGS).state());
        refreshPlayers();
        reactToState(NetworkPianoRoom.PRESENCE, room -> {
            presence = room;
            refreshPlayers();
        });
        reactToState(NetworkPianoRoom.PEERS, reachable -> {
            roster = reachable;
            waiting.keySet().removeIf(id -> {
                boolean gone = roster.transportOf(PeerId.parse(id)).isEmpty();
                if (gone) {
                    LOG.debug(
                            "player {}: {} disconnected before its presence came; its early messages are dropped",
                            state().self().id(),
                            id);
                }
                return gone;
            });
            refreshPlayers();
        });
        reactToState(NetworkPianoRoom.SETTINGS, this::documentChanged);
        reactToEvents(NetworkPianoRoom.CHANNEL, PianoTopics.NOTES.eventName(), e -> heard(PianoTopics.NOTES, e));
        reactToEvents(NetworkPianoRoom.CHANNEL, PianoTopics.PEDAL.eventName(), e -> heard(PianoTopics.PEDAL, e));
        reactToEvents(NetworkPianoRoom.CHANNEL, PianoTopics.BEATS.eventName(), e -> heard(PianoTopics.BEATS, e));
        scheduleAtFixedRate(pingInterval, pingInterval, this::pingPeers);
    }

    @Override
    public void send(PianoMessage message) {
        Ephemeral channel = dependency(NetworkPianoRoom.CHANNEL).actions();
        if (message instanceof NoteEvent note) {
            channel.broadcast(PianoTopics.NOTES, note);
        } else if (message instanceof PedalEvent pedal) {
            channel.broadcast(PianoTopics.PEDAL, pedal);
        } else if (message instanceof BeatEvent beat) {
            channel.broadcast(PianoTopics.BEATS, beat);
        }
    }

    @Override
    public void updatePresence(Player self) {
        Player local = self.withTransport(TransportKind.LOCAL);
        dependency(NetworkPianoRoom.PRESENCE).actions().update(PresenceCard.of(local));
        setState(new RoomView(local, playersWith(local), state().settings(), state().title()));
        emit(RoomEvents.PLAYERS, playersWith(local));
    }

    @Override
    public void pingPeers() {
        for (String id : present.keySet()) {
            PeerId peer = PeerId.parse(id);
            if (roster.transportOf(peer).isEmpty()) {
                continue;
            }
            pipeToSelf(dependency(NetworkPianoRoom.CHANNEL).actions().ping(peer), (roundTrip, failure) -> {
                if (failure != null) {
                    LOG.debug(
                            "player {}: no latency sample from {}: {}",
                            state().self().id(),
                            id,
                            failure.toString());
                } else if (present.containsKey(id)) {
                    emit(RoomEvents.LATENCY, new RoomEvents.Latency(id, roundTrip.dividedBy(2)));
                }
            });
        }
    }

    private <T extends PianoMessage> void heard(Topic<T> topic, ActorEvent event) {
        EphemeralMessage<T> received = topic.message(event);
        PianoMessage message = received.message();
        String sender = received.from().toString();
        if (!sender.equals(message.playerId())) {
            LOG.warn(
                    "player {}: dropped a {} from peer {} that claims to be player \"{}\": a peer may only send"
                            + " its own notes",
                    state().self().id(),
                    topic.name(),
                    sender,
                    message.playerId());
            return;
        }
        if (!present.containsKey(sender)) {
            if (roster.transportOf(received.from()).isEmpty()) {
                LOG.debug(
                        "player {}: dropped a {} from {}, who is neither listed nor connected",
                        state().self().id(),
                        topic.name(),
                        sender);
                return;
            }
            ArrayDeque<Early> queue = waiting.computeIfAbsent(sender, id -> new ArrayDeque<>());
            if (queue.size() < MAX_WAITING) {
                LOG.debug(
                        "player {}: a {} from {} waits for its presence",
                        state().self().id(),
                        topic.name(),
                        sender);
                queue.addLast(new Early(System.nanoTime(), message));
            } else {
                LOG.warn(
                        "player {}: dropped a {} from {}: {} messages already wait for its presence",
                        state().self().id(),
                        topic.name(),
                        sender,
                        MAX_WAITING);
            }
            return;
        }
        emit(RoomEvents.MESSAGE, message);
    }

    private void refreshPlayers() {
        Map<PeerId, PeerPresence<PresenceCard>> peers = presence.peers();
        Map<String, Player> next = new LinkedHashMap<>();
        for (String id : present.keySet()) {
            PeerPresence<PresenceCard> card = peers.get(PeerId.parse(id));
            if (card != null) {
                next.put(id, player(card));
            }
        }
        for (PeerPresence<PresenceCard> card : peers.values()) {
            next.computeIfAbsent(card.peer().toString(), id -> player(card));
        }
        List<Player> left = new ArrayList<>();
        for (Map.Entry<String, Player> before : present.entrySet()) {
            if (!next.containsKey(before.getKey())) {
                left.add(before.getValue());
            }
        }
        present = next;
        for (Player gone : left) {
            LOG.info("player {}: {} left the room", state().self().id(), gone.id());
            emit(RoomEvents.PLAYER_LEFT, gone);
        }
        List<Player> players = playersWith(state().self());
        if (!players.equals(state().players())) {
            setState(new RoomView(state().self(), players, state().settings(), state().title()));
            emit(RoomEvents.PLAYERS, players);
        }
        long now = System.nanoTime();
        for (String id : present.keySet()) {
            ArrayDeque<Early> early = waiting.remove(id);
            if (early != null) {
                LOG.debug(
                        "player {}: {} is listed; {} early message(s) are heard now",
                        state().self().id(),
                        id,
                        early.size());
                for (Early each : early) {
                    if (now - each.atNanos() <= MAX_WAIT.toNanos()) {
                        emit(RoomEvents.MESSAGE, each.message());
                    } else {
                        LOG.debug(
                                "player {}: dropped {} from {}: it waited longer than {}",
                                state().self().id(),
                                each.message(),
                                id,
                                MAX_WAIT);
                    }
                }
            }
        }
    }

    /** A message that arrived before its sender's presence, and when. */
    private record Early(long atNanos, PianoMessage message) {}

    private Player player(PeerPresence<PresenceCard> card) {
        String transport = roster.transportOf(card.peer()).orElse(null);
        return card.state()
                .toPlayer(card.peer(), transport == null ? TransportKind.OTHER : TransportKind.fromName(transport));
    }

    private List<Player> playersWith(Player self) {
        List<Player> players = new ArrayList<>();
        players.add(self);
        players.addAll(present.values());
        return players;
    }

    private void documentChanged(RoomDocument document) {
        RoomSettings settings = document.settings();
        String title = document.titleOrEmpty();
        RoomView now = state();
        if (!settings.equals(now.settings()) || !title.equals(now.title())) {
            setState(new RoomView(now.self(), now.players(), settings, title));
            if (!settings.equals(now.settings())) {
                emit(RoomEvents.SETTINGS, settings);
            }
        }
    }
}
