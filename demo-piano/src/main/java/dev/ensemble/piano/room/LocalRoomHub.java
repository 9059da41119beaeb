package dev.ensemble.piano.room;

import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.transport.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A piano room inside one process: every player who {@link #join joins} hears the others. Used
 * by headless runs without a signaling server (for example {@code --bots N}) and in tests.
 *
 * <p>Each player may be given a simulated one-way distance to the room; a message from A to B
 * then arrives after {@code distance(A) + distance(B)}, and the room measures that delay with a
 * ping every {@link #PING_INTERVAL} in each direction, as a network room would.
 *
 * <pre>{@code
 * try (LocalRoomHub hub = new LocalRoomHub("jam")) {
 *     PianoRoom alice = hub.join(aliceAsPlayer);
 *     PianoRoom bob = hub.join(bobAsPlayer, Duration.ofMillis(20));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Deliveries run on one {@link OwnerThread} per hub ({@code local-piano-room-<name>}),
 * in order per sender and receiver; a delivery whose receiver has left (or whose room has closed)
 * by then is dropped. State (the members and settings) is owned by the hub and guarded by its
 * monitor.
 */
public final class LocalRoomHub implements AutoCloseable {
    /** How often each player pings each other player. */
    public static final Duration PING_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(LocalRoomHub.class);

    private final String name;
    private final OwnerThread delivery;
    /** Guarded by {@code this}; in joining order. */
    private final Map<String, LocalPianoRoom> members = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private RoomSettings settings = RoomSettings.DEFAULT;

    private final Future<?> pinger;

    /**
     * Creates an empty room with its delivery thread.
     *
     * @param name the room's name, for logs
     */
    public LocalRoomHub(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.delivery = OwnerThread.start("local-piano-room-" + name);
        this.pinger = delivery.scheduleAtFixedRate(PING_INTERVAL.dividedBy(5), PING_INTERVAL, this::pingEveryone);
    }

    /**
     * Joins with no simulated distance.
     *
     * @param player who joins; its transport is shown as {@link TransportKind#LOCAL}
     * @return the player's membership
     * @throws IllegalArgumentException if a player with that id is present
     */
    public PianoRoom join(Player player) {
        return join(player, Duration.ZERO);
    }

    /**
     * Joins.
     *
     * @param player who joins; its transport is shown as {@link TransportKind#LOCAL}
     * @param distance the simulated one-way latency between this player and the room
     * @return the player's membership
     * @throws IllegalArgumentException if a player with that id is present or the distance is negative
     */
    public PianoRoom join(Player player, Duration distance) {
        Objects.requireNonNull(player, "player");
        if (distance.isNegative()) {
            throw new IllegalArgumentException("a simulated distance must not be negative, but was " + distance);
        }
        LocalPianoRoom member;
        synchronized (this) {
            if (members.containsKey(player.id())) {
                throw new IllegalArgumentException(
                        "player id \"" + player.id() + "\" is already in room \"" + name + "\": ids must be unique");
            }
            member = new LocalPianoRoom(this, player.withTransport(TransportKind.LOCAL), distance);
            members.put(player.id(), member);
        }
        LOG.info("room {}: {} joined", name, player.id());
        delivery.execute(this::announcePlayers);
        return member;
    }

    /** @return the room's name */
    public String name() {
        return name;
    }

    synchronized List<Player> players() {
        List<Player> players = new ArrayList<>();
        for (LocalPianoRoom member : members.values()) {
            players.add(member.self());
        }
        return players;
    }

    synchronized RoomSettings settings() {
        return settings;
    }

    void send(LocalPianoRoom from, PianoMessage message) {
        List<LocalPianoRoom> others;
        synchronized (this) {
            if (members.get(from.self().id()) != from) {
                return;
            }
            others = new ArrayList<>(members.values());
        }
        for (LocalPianoRoom to : others) {
            if (to != from) {
                schedule(from, to, () -> to.deliver(message));
            }
        }
    }

    void presenceChanged() {
        delivery.execute(this::announcePlayers);
    }

    CompletableFuture<RoomSettings> updateSettings(UnaryOperator<RoomSettings> change) {
        RoomSettings updated;
        try {
            synchronized (this) {
                updated = Objects.requireNonNull(change.apply(settings), "new settings");
                settings = updated;
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        RoomSettings announced = updated;
        delivery.execute(() -> {
            for (LocalPianoRoom member : snapshot()) {
                member.settingsChanged(announced);
            }
        });
        return CompletableFuture.completedFuture(updated);
    }

    void leave(LocalPianoRoom member) {
        synchronized (this) {
            if (members.get(member.self().id()) != member) {
                return;
            }
            members.remove(member.self().id());
        }
        LOG.info("room {}: {} left", name, member.self().id());
        delivery.execute(() -> {
            for (LocalPianoRoom other : snapshot()) {
                other.playerLeft(member.self());
            }
            announcePlayers();
        });
    }

    private synchronized List<LocalPianoRoom> snapshot() {
        return new ArrayList<>(members.values());
    }

    private void announcePlayers() {
        List<Player> players = players();
        for (LocalPianoRoom member : snapshot()) {
            member.playersChanged(players);
        }
    }

    private void pingEveryone() {
        List<LocalPianoRoom> everyone = snapshot();
        for (LocalPianoRoom from : everyone) {
            for (LocalPianoRoom to : everyone) {
                if (from != to) {
                    long sentAt = System.nanoTime();
                    schedule(
                            from,
                            to,
                            () -> to.latencyMeasured(from.self().id(), Duration.ofNanos(System.nanoTime() - sentAt)));
                }
            }
        }
    }

    private void schedule(LocalPianoRoom from, LocalPianoRoom to, Runnable delivered) {
        Duration delay = from.distance().plus(to.distance());
        Runnable toMember = () -> {
            if (isMember(to)) {
                delivered.run();
            }
        };
        boolean queued = delay.isZero()
                ? delivery.execute(toMember)
                : !delivery.schedule(delay, toMember).isCancelled();
        if (!queued) {
            LOG.debug(
                    "room {} is closed: dropped a message from {}",
                    name,
                    from.self().id());
        }
    }

    private synchronized boolean isMember(LocalPianoRoom member) {
        return members.get(member.self().id()) == member;
    }

    /** Closes the room: everyone is disconnected and the delivery thread ends. */
    @Override
    public void close() {
        pinger.cancel(false);
        synchronized (this) {
            members.clear();
        }
        // What is still queued finds no member and is dropped.
        delivery.close();
    }
}
