package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadsTest {
    private static byte[] hash(int fill) {
        byte[] hash = new byte[Heads.HASH_BYTES];
        Arrays.fill(hash, (byte) fill);
        return hash;
    }

    @Test
    void theAckPayloadOfTheProtocolVectorIsOneHead() {
        byte[] payload = HexFormat.of().parseHex("4301" + "aa".repeat(32));
        Heads heads = Heads.decode(payload);
        assertEquals(Heads.of(List.of(hash(0xaa))), heads);
        assertArrayEquals(payload, heads.encode());
    }

    @Test
    void headsAreASetWhateverOrderTheyCameIn() {
        assertEquals(Heads.of(List.of(hash(1), hash(0xf0))), Heads.of(List.of(hash(0xf0), hash(1))));
        assertEquals(
                Heads.of(List.of(hash(1), hash(0xf0))).hashCode(),
                Heads.of(List.of(hash(0xf0), hash(1))).hashCode());
        assertArrayEquals(
                hash(1), Heads.of(List.of(hash(0xf0), hash(1))).hashes().get(0), "unsigned byte order");
    }

    @Test
    void noHeadsEncodeAsACountOfZero() {
        assertArrayEquals(new byte[] {0x43, 0}, Heads.NONE.encode());
        assertEquals(Heads.NONE, Heads.decode(new byte[] {0x43, 0}));
    }

    @Test
    void bytesInAnyOtherFormDecodeToNothing() {
        assertNull(Heads.decode(new byte[0]), "empty");
        assertNull(Heads.decode(new byte[] {0x42, 0}), "a sync message's type byte, not a sync state's");
        assertNull(Heads.decode(HexFormat.of().parseHex("4302" + "aa".repeat(32))), "two heads declared, one present");
        assertNull(Heads.decode(HexFormat.of().parseHex("4301" + "aa".repeat(33))), "a byte after the last head");
        assertNull(Heads.decode(new byte[] {0x43, (byte) 0x80}), "a count cut short");
    }

    @Test
    void aHashOfTheWrongLengthIsRefusedWithItsLength() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Heads.of(List.of(hash(1), new byte[31])));
        assertEquals("a change hash must be 32 bytes long, hash 1 was 31", error.getMessage());
    }
}
