package dev.ensemble.collab.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class OperationIdsTest {
    static final byte[] ALICE = {0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef};
    static final byte[] BOB = {(byte) 0xfe, (byte) 0xdc, 0x00, 0x0a};

    @Test
    void writesIdsAsAutomergeDoes() {
        OperationIds ids = new OperationIds();
        assertEquals("17@0123456789abcdef", ids.id(17, ALICE));
        assertEquals("2@fedc000a", ids.objectId(2, BOB));
    }

    @Test
    void givesTheSameObjectIdStringForTheSameObject() {
        OperationIds ids = new OperationIds();
        String first = ids.objectId(5, ALICE);
        // Another array with the same bytes: a later change names the same actor.
        assertSame(first, ids.objectId(5, ALICE.clone()));
        assertEquals("6@0123456789abcdef", ids.objectId(6, ALICE));
        assertEquals("5@fedc000a", ids.objectId(5, BOB));
    }

    @Test
    void staysCorrectPastItsCapacity() {
        OperationIds ids = new OperationIds();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < OperationIds.CAPACITY * 2; i++) {
                byte[] actor = {(byte) i, 0x7f};
                assertEquals(i + "@" + String.format("%02x7f", i), ids.objectId(i, actor));
                assertEquals((i + 1000) + "@" + String.format("%02x7f", i), ids.id(i + 1000, actor));
            }
        }
    }

    @Test
    void doesNotTakeTheCallersArrayAsItsOwn() {
        OperationIds ids = new OperationIds();
        byte[] actor = {0x0a, 0x0b};
        assertEquals("1@0a0b", ids.objectId(1, actor));
        actor[0] = 0x0c;
        assertEquals("1@0c0b", ids.objectId(1, actor));
    }
}
