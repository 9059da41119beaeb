package dev.ensemble.collab.ephemeral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.ephemeral.EphemeralRoom.Player;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Presence driven by its own timers and the system clock, with actors on the shared pool: the
 * periodic check renews and expires without anyone calling {@link Presence#checkNow()}. Timings
 * are shortened to milliseconds (renew every 100 ms, expire after 1 s, so that a stalled machine
 * does not expire a live peer); the simulator is stepped by the test thread.
 */
class PresenceTimerTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<Presence<Player>, RoomPresence<Player>> PRESENCE = Presence.token("presence");
    private static final Duration EXPIRE_AFTER = Duration.ofSeconds(1);

    @Test
    void theTimersRenewAPresenceAndExpireASilentOne() {
        NetworkSimulator network = NetworkSimulator.builder().seed(1).build();
        List<ActorSystem> systems = new ArrayList<>();
        try {
            List<ActorClient<Presence<Player>, RoomPresence<Player>>> presence = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                PeerMessagingSettings messaging = PeerMessagingSettings.builder()
                        .transport(network.transportFor(TestPeers.id("peer-" + i)))
                        .build();
                PresenceSettings<Player> settings = PresenceSettings.builder(PEERS, PayloadCodec.json(Player.class))
                        .renewInterval(Duration.ofMillis(100))
                        .expireAfter(EXPIRE_AFTER)
                        .checkInterval(Duration.ofMillis(20))
                        .build();
                ActorSystem system = ActorSystem.builder("timer-peer-" + i)
                        .add(PEERS, () -> new PeerMessagingActor(messaging))
                        .add(PRESENCE, () -> new PresenceActor<>(settings), PEERS)
                        .start();
                systems.add(system);
                presence.add(system.client(PRESENCE));
            }
            PeerId first = TestPeers.id("peer-0");
            List<ActorEvent> gone = Collections.synchronizedList(new ArrayList<>());
            presence.get(1).onEvent(PresenceEvents.GONE, gone::add);
            network.runUntilQuiet(1_000_000);

            presence.get(0).actions().update(new Player("Ada", "#ff8800"));
            awaitWhileStepping(network, () -> presence.get(1).state().of(first).isPresent(), "peer-0 appears");
            long renewedBy = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            awaitWhileStepping(network, () -> System.nanoTime() - renewedBy > 0, "time passes");
            assertTrue(presence.get(1).state().of(first).isPresent(), "renewals keep peer-0 present past expiry time");

            network.partition(Set.of(first), Set.of(TestPeers.id("peer-1")));
            long silentSince = System.nanoTime();
            awaitWhileStepping(
                    network, () -> presence.get(1).state().of(first).isEmpty() && !gone.isEmpty(), "peer-0 expires");
            Duration silence = Duration.ofNanos(System.nanoTime() - silentSince);
            assertEquals(
                    List.of(new PresenceEvents.Gone(first, PresenceEvents.Reason.EXPIRED)),
                    gone.stream().map(ActorEvent::payload).toList());
            assertTrue(
                    silence.compareTo(EXPIRE_AFTER.minus(Duration.ofMillis(200))) >= 0,
                    "expired only after about " + EXPIRE_AFTER + " of silence, took " + silence);

            network.heal();
            awaitWhileStepping(
                    network,
                    () -> presence.get(1).state().of(first).isPresent(),
                    "the next renewal brings peer-0 back");
        } finally {
            systems.forEach(ActorSystem::close);
        }
    }

    /** Delivers what is in flight, again and again, until the condition holds or 10 s pass. */
    private static void awaitWhileStepping(NetworkSimulator network, BooleanSupplier condition, String what) {
        Await.until(what, Duration.ofSeconds(10), () -> {
            network.runUntilQuiet(1_000_000);
            return condition.getAsBoolean();
        });
    }
}
