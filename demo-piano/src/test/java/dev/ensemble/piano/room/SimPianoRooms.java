package dev.ensemble.piano.room;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.testkit.transport.TestPeers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Network piano rooms of N players on one {@link NetworkSimulator}. Every actor runs on the
 * calling thread, listeners run inline, timers are effectively off and pings and presence use the
 * simulator's virtual clock, so a run is decided by the seed and the test's calls.
 */
final class SimPianoRooms implements AutoCloseable {
    static final Duration NEVER = Duration.ofHours(1);
    static final Duration ONE_WAY = Duration.ofMillis(20);
    static final Instrument[] INSTRUMENTS = {Instrument.PIANO, Instrument.VIBRAPHONE, Instrument.TRUMPET};

    final NetworkSimulator network;
    final List<Member> members = new ArrayList<>();

    /** One player: the room and everything its listener heard. */
    static final class Member extends RoomListener {
        final Player player;
        final NetworkPianoRoom room;
        /** Everything heard, in order: messages, players lists, departures, settings, latencies. */
        final List<Object> heard = Collections.synchronizedList(new ArrayList<>());

        Member(Player player, NetworkPianoRoom room) {
            this.player = player;
            this.room = room;
            room.subscribe(this);
        }

        @Override
        public void onMessage(PianoMessage message) {
            heard.add(message);
        }

        @Override
        public void onPlayers(List<Player> players) {
            heard.add(new PlayersHeard(players));
        }

        @Override
        public void onPlayerLeft(Player player) {
            heard.add(new LeftHeard(player));
        }

        @Override
        public void onLatency(String peerId, Duration oneWay) {
            heard.add(new LatencyHeard(peerId, oneWay));
        }

        @Override
        public void onSettings(RoomSettings settings) {
            heard.add(settings);
        }

        <T> List<T> heard(Class<T> type) {
            synchronized (heard) {
                return heard.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }

        List<PianoMessage> messagesFrom(String playerId) {
            return heard(PianoMessage.class).stream()
                    .filter(m -> m.playerId().equals(playerId))
                    .toList();
        }

        List<String> presentIds() {
            return room.players().stream().map(Player::id).toList();
        }
    }

    record PlayersHeard(List<Player> players) {}

    record LeftHeard(Player player) {}

    record LatencyHeard(String peerId, Duration oneWay) {}

    /**
     * The player id of the test peer {@code name}: a network player's id is its peer id, the
     * did:key of {@code TestPeers.id(name)}. Player {@code i} of these rooms is {@code "player-i"}.
     */
    static String playerId(String name) {
        return TestPeers.id(name).toString();
    }

    SimPianoRooms(long seed, int players) {
        this.network = NetworkSimulator.builder()
                .seed(seed)
                .conditions(LinkConditions.builder().latency(ONE_WAY).build())
                .build();
        for (int i = 0; i < players; i++) {
            String name = "player-" + i;
            Player player = new Player(
                    playerId(name),
                    "Player " + i,
                    Player.paletteColor(i),
                    INSTRUMENTS[i % INSTRUMENTS.length],
                    TransportKind.LOCAL);
            NetworkPianoRoom room = NetworkPianoRoom.builder(TestPeers.id(name), player)
                    .transport(network.transportFor(TestPeers.id(name)))
                    .dispatcher(DispatcherSelector.callingThread())
                    .callbackExecutor(Runnable::run)
                    .clock(network.clock())
                    .pingInterval(NEVER)
                    .checkInterval(NEVER)
                    .resyncInterval(NEVER)
                    .join();
            members.add(new Member(player, room));
        }
        settle();
    }

    Member member(int index) {
        return members.get(index);
    }

    /** Delivers everything in flight, replies included. */
    void settle() {
        network.runUntilQuiet(1_000_000);
    }

    @Override
    public void close() {
        for (Member member : members) {
            member.room.close();
        }
    }
}
