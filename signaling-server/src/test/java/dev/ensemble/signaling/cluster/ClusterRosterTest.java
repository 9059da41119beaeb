package dev.ensemble.signaling.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterRosterTest {

    private static final PeerId ALICE = PeerIdentity.generate().peerId();
    private static final PeerId BOB = PeerIdentity.generate().peerId();
    private static final PeerId CAROL = PeerIdentity.generate().peerId();

    private final ClusterRoster roster = new ClusterRoster("self");

    @Test
    void knowsWhoIsInARoomAndWhichNodeHoldsThem() {
        assertEquals(ClusterRoster.Change.ADDED, roster.put("lobby", ALICE, "self"));
        assertEquals(ClusterRoster.Change.ADDED, roster.put("lobby", BOB, "other"));
        assertEquals(ClusterRoster.Change.NONE, roster.put("lobby", BOB, "other"));
        assertEquals(List.of(ALICE, BOB), List.copyOf(roster.members("lobby")), "join order");
        assertEquals("other", roster.nodeOf(BOB));
        assertEquals(List.of(ALICE), roster.localMembers("lobby"));
        assertEquals(List.of(BOB), roster.membersOn("lobby", "other"));
        assertEquals(2, roster.size());
        assertEquals(1, roster.roomCount());
    }

    @Test
    void removesOnlyTheEntryOfTheNamedNode() {
        roster.put("lobby", BOB, "old");
        assertEquals(ClusterRoster.Change.MOVED, roster.put("lobby", BOB, "new"), "a newer connection elsewhere");
        assertFalse(roster.remove("lobby", BOB, "old"), "the old node's late leave must not remove the new entry");
        assertEquals(Set.of(BOB), roster.members("lobby"));
        assertTrue(roster.remove("lobby", BOB, "new"));
        assertEquals(Set.of(), roster.members("lobby"));
        assertNull(roster.nodeOf(BOB));
        assertEquals(0, roster.size());
    }

    @Test
    void keepsAPeerKnownWhileItIsInAnyFollowedRoomAndForgetsDroppedRooms() {
        roster.put("a", CAROL, "n1");
        roster.put("b", CAROL, "n1");
        roster.remove("a", CAROL, "n1");
        assertEquals("n1", roster.nodeOf(CAROL), "still in room b");
        roster.drop("b");
        assertNull(roster.nodeOf(CAROL));
        assertFalse(roster.follows("b"));
        assertEquals(0, roster.size());

        roster.follow("c");
        assertTrue(roster.follows("c"));
        assertEquals(0, roster.roomCount(), "a followed room without members is not counted");
    }
}
