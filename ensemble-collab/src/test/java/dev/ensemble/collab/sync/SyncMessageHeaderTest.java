package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void bytesInAnotherLayoutHaveNoHeader() {
        assertNull(SyncMessageHeader.read(new byte[0]));
        assertNull(SyncMessageHeader.read(new byte[] {0x43, 0}), "a sync state, not a sync message");
        assertNull(SyncMessageHeader.read(HexFormat.of().parseHex("4202" + "aa".repeat(32))), "cut short");
        assertNull(SyncMessageHeader.read(HexFormat.of().parseHex("42ffffffffff")), "a count over 32 bits");
    }
}
