package dev.ensemble.signaling.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterCodecTest {

    private static final PeerId ALICE = PeerIdentity.generate().peerId();
    private static final PeerId BOB = PeerIdentity.generate().peerId();

    @Test
    void everyKindSurvivesTheRoundTrip() throws Exception {
        for (ClusterMessage message : List.of(
                new ClusterMessage.PeerJoined("a1b2", "lobby", ALICE),
                new ClusterMessage.PeerLeft("a1b2", "room/with:chars", BOB),
                new ClusterMessage.Roster("node-2", "lobby", List.of(ALICE, BOB)),
                new ClusterMessage.Roster("node-2", "lobby", List.of()),
                new ClusterMessage.RelayedSignal("n", BOB, "{\"type\":\"signal\",\"data\":\"é\"}"),
                new ClusterMessage.Replaced("n", ALICE))) {
            assertEquals(message, ClusterCodec.decode(ClusterCodec.encode(message)));
        }
        byte[] frame = {0, (byte) 0xff, 1, 2, 3};
        ClusterMessage.RelayedFrame relayed = (ClusterMessage.RelayedFrame)
                ClusterCodec.decode(ClusterCodec.encode(new ClusterMessage.RelayedFrame("n", BOB, frame)));
        assertArrayEquals(frame, relayed.frame(), "a relay frame travels byte for byte");
        assertEquals(BOB, relayed.to());
    }

    @Test
    void startsWithTheVersionAndTheKind() {
        byte[] bytes = ClusterCodec.encode(new ClusterMessage.Replaced("ab", ALICE));
        assertEquals(ClusterCodec.VERSION, bytes[0]);
        assertEquals(ClusterCodec.REPLACED, bytes[1]);
        assertEquals(2, bytes[2]);
        assertEquals("ab", new String(bytes, 3, 2, StandardCharsets.US_ASCII));
    }

    @Test
    void rejectsWhatItCannotReadSayingWhy() {
        byte[] good = ClusterCodec.encode(new ClusterMessage.PeerJoined("n1", "lobby", ALICE));
        assertMalformed("at least 2 bytes", new byte[] {1});
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        assertMalformed("version 2 is not the version 1", otherVersion);
        byte[] unknownKind = good.clone();
        unknownKind[1] = 9;
        assertMalformed("unknown cluster message kind 9", unknownKind);
        assertMalformed("left over", Arrays.copyOf(good, good.length + 1));
        assertMalformed("only", Arrays.copyOf(good, good.length - 3));
        assertMalformed("node id", ClusterCodec.encode(new ClusterMessage.Replaced("UPPER", ALICE)));
        byte[] notAPeer = {1, ClusterCodec.REPLACED, 1, 'n', 3, 'b', 'o', 'b'};
        assertMalformed("not a did:key", notAPeer);
        assertMalformed("room name rule", ClusterCodec.encode(new ClusterMessage.PeerLeft("n", "bad room", ALICE)));
    }

    private static void assertMalformed(String expected, byte[] bytes) {
        MalformedClusterMessageException e =
                assertThrows(MalformedClusterMessageException.class, () -> ClusterCodec.decode(bytes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
