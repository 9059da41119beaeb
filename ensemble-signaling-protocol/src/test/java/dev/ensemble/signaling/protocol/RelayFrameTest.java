package dev.ensemble.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelayFrameTest {

    /** The worked example of docs/PROTOCOL.md: room "lobby", from 32 x 0x11, to 32 x 0x22, payload "hi". */
    static final String VECTOR_HEX = "01" + "05" + "6c6f626279" + "11".repeat(32) + "22".repeat(32) + "6869";

    private static PeerId key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return PeerId.fromPublicKey(key);
    }

    @Test
    void encodesTheDocumentedTestVector() {
        RelayFrame frame = new RelayFrame("lobby", key(0x11), key(0x22), "hi".getBytes(StandardCharsets.UTF_8));
        byte[] encoded = frame.encode();
        assertEquals(VECTOR_HEX, HexFormat.of().formatHex(encoded));
        assertEquals(73, encoded.length);
        assertEquals(71, frame.headerLength());
    }

    @Test
    void decodesTheDocumentedTestVectorWithoutMovingTheBuffer() throws MalformedMessageException {
        ByteBuffer buffer = ByteBuffer.wrap(HexFormat.of().parseHex(VECTOR_HEX));
        RelayFrame frame = RelayFrame.decode(buffer);
        assertEquals("lobby", frame.room());
        assertEquals(key(0x11), frame.from());
        assertEquals(key(0x22), frame.to());
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), frame.payload());
        assertEquals(0, buffer.position());
    }

    @Test
    void roundTripsAnEmptyAndALargePayload() throws MalformedMessageException {
        byte[] large = new byte[65_536];
        new Random(1).nextBytes(large);
        for (byte[] payload : new byte[][] {new byte[0], large}) {
            RelayFrame frame = new RelayFrame("a", key(1), key(2), payload);
            assertEquals(frame, RelayFrame.decode(ByteBuffer.wrap(frame.encode())));
        }
    }

    @Test
    void rejectsBadVersionRoomLengthRoomCharactersAndTruncation() {
        byte[] good = HexFormat.of().parseHex(VECTOR_HEX);
        assertMalformed(new byte[] {1}, "at least 67 bytes but has 1");
        byte[] version = good.clone();
        version[0] = 2;
        assertMalformed(version, "version must be 1 but is 2");
        byte[] zeroRoom = good.clone();
        zeroRoom[1] = 0;
        assertMalformed(zeroRoom, "room length must be 1..128 but is 0");
        byte[] longRoom = good.clone();
        longRoom[1] = (byte) 200;
        assertMalformed(longRoom, "room length must be 1..128 but is 200");
        byte[] badChar = good.clone();
        badChar[2] = ' ';
        assertMalformed(badChar, "room must be 1..128 characters");
        assertMalformed(Arrays.copyOf(good, 50), "must be at least 71 bytes but has 50");
    }

    @Test
    void survivesRandomGarbage() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] garbage = new byte[random.nextInt(100)];
            random.nextBytes(garbage);
            if (garbage.length > 1 && random.nextBoolean()) {
                garbage[0] = 1;
            }
            try {
                RelayFrame.decode(ByteBuffer.wrap(garbage));
            } catch (MalformedMessageException expected) {
                assertTrue(expected.getMessage().startsWith("relay frame")
                        || expected.getMessage().startsWith("room"));
            }
        }
    }

    private static void assertMalformed(byte[] frame, String expected) {
        MalformedMessageException error =
                assertThrows(MalformedMessageException.class, () -> RelayFrame.decode(ByteBuffer.wrap(frame)));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
