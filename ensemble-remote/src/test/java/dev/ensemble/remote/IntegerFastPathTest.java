package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.ensemble.remote.wire.WireValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec writes and reads ints without Jackson, byte for byte as Jackson does. */
class IntegerFastPathTest {
    private static final CBORMapper JACKSON = new CBORMapper();
    private final ValueCodec codec = new ValueCodec(TypeRegistry.builder().build());

    @Test
    void writesTheBytesJacksonWritesAtEveryHeadLengthAndBoundary() throws Exception {
        for (int value : List.of(
                0,
                1,
                23,
                24,
                255,
                256,
                65_535,
                65_536,
                Integer.MAX_VALUE,
                -1,
                -24,
                -25,
                -256,
                -257,
                -65_536,
                -65_537,
                Integer.MIN_VALUE,
                123_456,
                -987_654)) {
            byte[] jackson = JACKSON.writeValueAsBytes(value);
            assertArrayEquals(jackson, ValueCodec.cborInt(value), "the encoding of " + value);
            assertArrayEquals(jackson, codec.encode(value).payload(), "the codec's encoding of " + value);
            assertEquals(value, ValueCodec.integerOrNull(jackson), "read back " + value);
            assertEquals(value, codec.decode(codec.encode(value), int.class));
        }
    }

    @Test
    void readsANonShortestHeadAsJacksonDoes() throws Exception {
        byte[] five = {0x1A, 0, 0, 0, 5};
        assertEquals(5, ValueCodec.integerOrNull(five));
        assertEquals(JACKSON.readValue(five, Integer.class), ValueCodec.integerOrNull(five));
    }

    @Test
    void leavesEverythingElseToJacksonWhichRefusesWhatDoesNotFitAnInt() throws Exception {
        assertNull(ValueCodec.integerOrNull(new byte[0]));
        assertNull(ValueCodec.integerOrNull(new byte[] {0x05, 0x00}), "trailing bytes");
        assertNull(ValueCodec.integerOrNull(new byte[] {0x1A, 0, 0}), "a head cut short");
        assertNull(ValueCodec.integerOrNull(new byte[] {0x1B, 0, 0, 0, 0, 0, 0, 0, 1}), "an 8-byte head");
        assertNull(ValueCodec.integerOrNull(new byte[] {0x61, 0x61}), "a text string");
        byte[] tooLarge = {0x1A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertNull(ValueCodec.integerOrNull(tooLarge));
        String name = codec.encode(1).type();
        ValueException error =
                assertThrows(ValueException.class, () -> codec.decode(new WireValue(name, tooLarge), int.class));
        assertEquals(name, error.type());
    }
}
