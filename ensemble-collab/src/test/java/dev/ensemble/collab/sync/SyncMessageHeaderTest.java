package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.TestDocument;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SyncMessageHeaderTest {
    @Test
    void theSendersHeadsAndLastSyncAreReadFromTheStartOfTheMessage() {
        byte[] message = HexFormat.of()
                .parseHex("42" + "01" + "aa".repeat(32) // heads
                        + "00" // need
                        + "01" + "01" + "bb".repeat(32) + "00" // one have: lastSync, empty bloom
                        + "00"); // no changes
        SyncMessageHeader header = SyncMessageHeader.read(message);
        assertEquals(Heads.decode(HexFormat.of().parseHex("4301" + "aa".repeat(32))), header.heads());
        assertEquals(Heads.decode(HexFormat.of().parseHex("4301" + "bb".repeat(32))), header.lastSync());
    }

    @Test
    void aVersion2MessageKeepsItsCapabilitiesWhenItsChangesAreLeftOut() {
        byte[] message = HexFormat.of()
                .parseHex("43" + "01" + "aa".repeat(32) + "00" + "00" // heads, need, no have
                        + "00" + "01" + "03" + "010203" // a list of one 3-byte change
                        + "020102"); // capabilities: version 1 and 2
        SyncMessageHeader header = SyncMessageHeader.read(message);
        assertTrue(header.version2());
        assertEquals(6, header.changesBytes());
        assertEquals(
                "43" + "01" + "aa".repeat(32) + "00" + "00" + "0000" + "020102",
                HexFormat.of().formatHex(header.withoutChanges(message)));
    }

    @Test
    void aVersion2MessageMayCarryAWholeDocument() {
        byte[] message = HexFormat.of().parseHex("43" + "00" + "00" + "00" + "01" + "04" + "deadbeef");
        SyncMessageHeader header = SyncMessageHeader.read(message);
        assertEquals(6, header.changesBytes());
        assertEquals("4300000000" + "00", HexFormat.of().formatHex(header.withoutChanges(message)));
    }

    @Test
    void aMessageWithoutABloomFilterHasNoLastSync() {
        byte[] message = HexFormat.of().parseHex("42" + "00" + "01" + "cc".repeat(32) + "00" + "00");
        SyncMessageHeader header = SyncMessageHeader.read(message);
        assertEquals(Heads.NONE, header.heads());
        assertNull(header.lastSync());
    }

    @Test
    void aMessageAutomergeGeneratedCarriesTheDocumentsHeads() {
        TestDocument document = TestDocument.create("doc");
        try {
            document.edit(tx -> tx.spliceText(DocPath.of("text"), 0, 0, "hello"));
            SyncDocument.PeerState state = document.peerStateSharing(document.initialHeads());
            byte[] message = document.generateSyncMessage(state).orElseThrow();
            SyncMessageHeader header = SyncMessageHeader.read(message);
            assertEquals(document.heads(), header.heads());
            assertEquals(document.initialHeads(), header.lastSync());
            state.free();
        } finally {
            document.free();
        }
    }

    @Test
    void aMessageWithoutItsChangesKeepsWhatTheSenderHoldsAndAsksFor() throws Exception {
        TestDocument alice = TestDocument.create("doc");
        TestDocument bob = TestDocument.create("doc");
        SyncDocument.PeerState aliceToBob = alice.newPeerState();
        SyncDocument.PeerState bobToAlice = bob.newPeerState();
        try {
            for (int i = 0; i < 3; i++) {
                alice.edit(tx -> tx.spliceText(DocPath.of("text"), 0, 0, "x"));
            }
            alice.receiveSyncMessage(
                    aliceToBob, bob.generateSyncMessage(bobToAlice).orElseThrow());
            byte[] withChanges = alice.generateSyncMessage(aliceToBob).orElseThrow();
            SyncMessageHeader header = SyncMessageHeader.read(withChanges);
            assertTrue(header.changesBytes() > 100, "three changes: " + header);

            byte[] stripped = header.withoutChanges(withChanges);
            int emptyList = header.version2() ? 2 : 1;
            assertEquals(withChanges.length - header.changesBytes() + emptyList, stripped.length);
            SyncMessageHeader same = SyncMessageHeader.read(stripped);
            assertEquals(header.heads(), same.heads());
            assertEquals(header.lastSync(), same.lastSync());
            assertEquals(emptyList, same.changesBytes(), "an empty list of changes");
            bob.receiveSyncMessage(bobToAlice, stripped);
            assertEquals(bob.initialHeads(), bob.heads(), "Automerge reads it, and it brings no change");
        } finally {
            aliceToBob.free();
            bobToAlice.free();
            alice.free();
            bob.free();
        }
    }

    @Test
    void bytesInAnotherLayoutHaveNoHeader() {
        assertNull(SyncMessageHeader.read(new byte[0]));
        assertNull(SyncMessageHeader.read(new byte[] {0x44, 0}), "an unknown message type");
        assertNull(SyncMessageHeader.read(HexFormat.of().parseHex("4202" + "aa".repeat(32))), "cut short");
        assertNull(SyncMessageHeader.read(HexFormat.of().parseHex("42ffffffffff")), "a count over 32 bits");
        assertNull(
                SyncMessageHeader.read(HexFormat.of().parseHex("42" + "00" + "00" + "01" + "00" + "05" + "0102")),
                "a Bloom filter longer than the message");
        assertNull(SyncMessageHeader.read(HexFormat.of().parseHex("4300000002")), "an unknown kind of changes");
    }
}
