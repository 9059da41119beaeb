package dev.ensemble.collab.ephemeral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.ephemeral.EphemeralRoom.Peer;
import dev.ensemble.collab.ephemeral.EphemeralRoom.Player;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence on the simulated network in virtual time, with the default timings (renew every 15 s,
 * expire after 30 s): it appears, updates, survives on renewals, expires after silence, reappears
 * at once after a reconnect, and goes at once on a clean leave.
 */
class PresenceTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Player ADA = new Player("Ada", "#ff8800");
    private static final Player BOB = new Player("Bob", "#0088ff");
    private static final Player CY = new Player("Cy", "#00aa44");

    private EphemeralRoom room;

    @BeforeEach
    void setUp() {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        room = new EphemeralRoom(network, 3);
    }

    @AfterEach
    void tearDown() {
        room.close();
    }

    @Test
    void aPublishedPresenceAppearsAtEveryOtherPeer() {
        room.peer(0).presence.actions().update(ADA);
        room.network.runUntilQuiet(1_000_000);

        assertEquals(ADA, room.peer(0).presence.state().own());
        assertFalse(room.peer(0).sees(room.peer(0).id), "a peer's own state is in own(), not in peers()");
        for (int i : new int[] {1, 2}) {
            Peer peer = room.peer(i);
            PeerPresence<Player> seen =
                    peer.presence.state().of(room.peer(0).id).orElseThrow();
            assertEquals(ADA, seen.state());
            assertEquals(Instant.EPOCH.plus(room.network.now()), seen.lastSeen());
            List<ActorEvent> appeared = peer.presenceEvents(PresenceEvents.APPEARED);
            assertEquals(
                    List.of(seen), appeared.stream().map(ActorEvent::payload).toList());
        }
    }

    @Test
    void anUpdateReplacesTheStateEverywhere() {
        room.peer(0).presence.actions().update(ADA);
        room.network.runUntilQuiet(1_000_000);
        Player renamed = new Player("Ada L.", "#ff8800");
        room.peer(0).presence.actions().update(renamed);
        room.network.runUntilQuiet(1_000_000);

        for (int i : new int[] {1, 2}) {
            Peer peer = room.peer(i);
            assertEquals(
                    renamed,
                    peer.presence.state().of(room.peer(0).id).orElseThrow().state());
            List<ActorEvent> updated = peer.presenceEvents(PresenceEvents.UPDATED);
            assertEquals(1, updated.size());
            assertEquals(renamed, ((PeerPresence<?>) updated.get(0).payload()).state());
        }
    }

    @Test
    void renewalsKeepAPresenceAliveLongPastTheExpiryTime() {
        publishAll();
        room.tick(Duration.ofSeconds(95), SECOND);

        for (Peer peer : room.peers) {
            assertEquals(2, peer.presence.state().peers().size(), peer.id + " still sees both others");
            assertEquals(List.of(), peer.presenceEvents(PresenceEvents.GONE));
            assertEquals(List.of(), peer.presenceEvents(PresenceEvents.UPDATED), "a renewal is not an update");
        }
        Instant lastSeen =
                room.peer(0).presence.state().of(room.peer(1).id).orElseThrow().lastSeen();
        assertTrue(
                lastSeen.isAfter(Instant.EPOCH.plus(Duration.ofSeconds(75))), "renewed every 15 s, last " + lastSeen);
    }

    @Test
    void aSilentPeerExpiresAfterThirtySecondsAndReturnsWithItsNextRenewal() {
        publishAll();
        PeerId silent = room.peer(2).id;
        Set<PeerId> others = Set.of(room.peer(0).id, room.peer(1).id);
        room.network.partition(Set.of(silent), others);

        room.tick(Duration.ofSeconds(29), SECOND);
        assertTrue(room.peer(0).sees(silent), "29 s of silence is not yet 30");

        room.tick(Duration.ofSeconds(2), SECOND);
        for (Peer peer : List.of(room.peer(0), room.peer(1))) {
            assertFalse(peer.sees(silent), peer.id + " no longer sees " + silent);
            assertTrue(peer.sees(room.peer(1 - room.peers.indexOf(peer)).id), "the connected peer stays");
            assertEquals(
                    List.of(new PresenceEvents.Gone(silent, PresenceEvents.Reason.EXPIRED)),
                    peer.presenceEvents(PresenceEvents.GONE).stream()
                            .map(ActorEvent::payload)
                            .toList());
        }
        assertEquals(Set.of(), room.peer(2).presence.state().peers().keySet(), "the silent side expires the others");

        room.network.heal();
        room.tick(Duration.ofSeconds(15), SECOND);
        assertTrue(room.peer(0).sees(silent), "the next renewal brings it back");
        assertEquals(
                2,
                room.peer(0).presenceEvents(PresenceEvents.APPEARED).stream()
                        .filter(e -> ((PeerPresence<?>) e.payload()).peer().equals(silent))
                        .count());
        assertEquals(others, room.peer(2).presence.state().peers().keySet());
    }

    @Test
    void aReconnectingPeerDisappearsAtOnceAndReappearsAtOnce() {
        publishAll();
        PeerId roaming = room.peer(2).id;

        room.network.goOffline(roaming);
        room.network.runUntilQuiet(1_000_000);
        assertFalse(room.peer(0).sees(roaming), "gone as soon as it is unreachable");
        assertEquals(
                List.of(new PresenceEvents.Gone(roaming, PresenceEvents.Reason.DISCONNECTED)),
                room.peer(0).presenceEvents(PresenceEvents.GONE).stream()
                        .map(ActorEvent::payload)
                        .toList());

        Duration before = room.network.now();
        room.network.goOnline(roaming);
        room.network.runUntilQuiet(1_000_000);
        Duration took = room.network.now().minus(before);

        assertTrue(took.compareTo(SECOND) < 0, "no waiting for a renewal, took " + took);
        for (Peer peer : List.of(room.peer(0), room.peer(1))) {
            assertEquals(CY, peer.presence.state().of(roaming).orElseThrow().state(), peer.id + " sees it again");
        }
        assertEquals(
                Set.of(room.peer(0).id, room.peer(1).id),
                room.peer(2).presence.state().peers().keySet(),
                "and it sees everyone again");
    }

    @Test
    void aPeerThatLeavesDisappearsAtOnce() {
        publishAll();
        room.peer(1).presence.actions().leave();
        room.network.runUntilQuiet(1_000_000);

        assertNull(room.peer(1).presence.state().own());
        for (Peer peer : List.of(room.peer(0), room.peer(2))) {
            assertFalse(peer.sees(room.peer(1).id));
            assertEquals(
                    List.of(new PresenceEvents.Gone(room.peer(1).id, PresenceEvents.Reason.LEFT)),
                    peer.presenceEvents(PresenceEvents.GONE).stream()
                            .map(ActorEvent::payload)
                            .toList());
        }
        room.tick(Duration.ofSeconds(20), SECOND);
        assertFalse(room.peer(0).sees(room.peer(1).id), "no renewal after leaving");
        assertTrue(room.peer(1).sees(room.peer(0).id), "a peer that left still sees the room");
    }

    @Test
    void stoppingThePresenceActorSaysGoodbye() {
        publishAll();
        room.peer(1).system.stop(EphemeralRoom.PRESENCE).join();
        room.network.runUntilQuiet(1_000_000);

        for (Peer peer : List.of(room.peer(0), room.peer(2))) {
            assertFalse(peer.sees(room.peer(1).id));
            assertEquals(
                    List.of(new PresenceEvents.Gone(room.peer(1).id, PresenceEvents.Reason.LEFT)),
                    peer.presenceEvents(PresenceEvents.GONE).stream()
                            .map(ActorEvent::payload)
                            .toList());
        }
    }

    @Test
    void onALossyReorderingLinkALateAnnouncementNeverRestoresAnOlderState() {
        NetworkSimulator lossy = NetworkSimulator.builder()
                .seed(7)
                .conditions(LinkConditions.builder()
                        .latency(Duration.ofMillis(1), Duration.ofMillis(30))
                        .lossRate(0.2)
                        .duplicationRate(0.2)
                        .build())
                .build();
        try (EphemeralRoom other = new EphemeralRoom(lossy, 3)) {
            for (int version = 0; version < 60; version++) {
                other.peer(0).presence.actions().update(new Player("v" + version, "#000000"));
                lossy.runFor(Duration.ofMillis(2));
            }
            lossy.runUntilQuiet(1_000_000);
            long staleSeen = 0;
            for (Peer peer : List.of(other.peer(1), other.peer(2))) {
                List<Integer> versions = peer.presenceEvents.stream()
                        .filter(e -> e.name().equals(PresenceEvents.APPEARED)
                                || e.name().equals(PresenceEvents.UPDATED))
                        .map(e -> Integer.parseInt(((Player) ((PeerPresence<?>) e.payload()).state())
                                .name()
                                .substring(1)))
                        .toList();
                assertFalse(versions.isEmpty(), peer.id + " saw peer-0");
                for (int i = 1; i < versions.size(); i++) {
                    assertTrue(
                            versions.get(i) > versions.get(i - 1),
                            peer.id + " went from v" + versions.get(i - 1) + " to v" + versions.get(i)
                                    + ": presence must never go back to an older state");
                }
                staleSeen += 60 - versions.size();
            }
            assertTrue(staleSeen > 0, "the link must have lost or reordered some announcements");
        }
    }

    private void publishAll() {
        room.peer(0).presence.actions().update(ADA);
        room.peer(1).presence.actions().update(BOB);
        room.peer(2).presence.actions().update(CY);
        room.network.runUntilQuiet(1_000_000);
        for (Peer peer : room.peers) {
            assertEquals(2, peer.presence.state().peers().size(), peer.id + " sees both others");
        }
    }
}
