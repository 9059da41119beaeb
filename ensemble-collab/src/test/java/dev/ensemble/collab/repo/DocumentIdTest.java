package dev.ensemble.collab.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentIdTest {
    private static final String VECTOR_ID = "1Bhh3pU9gLXZiNDL6PEa1Gs9fh";

    @Test
    void encodesTheVectorIdAsTheJavaScriptLibraryDoes() {
        byte[] bytes = RepoVectors.staticVectors().get("document id bytes");
        DocumentId id = DocumentId.of(bytes);
        assertEquals(RepoVectors.text("document id"), id.toString());
        assertEquals(VECTOR_ID, id.toString());
        assertEquals(RepoVectors.text("url"), id.url().toString());
    }

    @Test
    void parsesTheVectorIdBackToItsBytes() {
        assertArrayEquals(
                HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"),
                DocumentId.parse(VECTOR_ID).bytes());
    }

    @Test
    void encodesAChangeHashAsTheVectorsHead() {
        byte[] head = RepoVectors.staticVectors().get("head of that document");
        assertEquals(
                RepoVectors.text("that head in bs58check (as in URLs and remote-heads-changed)"),
                AutomergeUrl.encodeHead(head));
    }

    @Test
    void randomIdsRoundTripThroughTheirText() {
        for (int i = 0; i < 200; i++) {
            DocumentId id = DocumentId.random();
            assertEquals(DocumentId.BYTES, id.bytes().length);
            assertEquals(id, DocumentId.parse(id.toString()));
            assertTrue(id.toString().matches("[1-9A-HJ-NP-Za-km-z]{20,28}"), id.toString());
        }
    }

    @Test
    void keepsLeadingZeroBytesAsLeadingOnes() {
        DocumentId id = DocumentId.of(new byte[] {0, 0, 0, 7});
        assertTrue(id.toString().startsWith("111"), id.toString());
        assertArrayEquals(
                new byte[] {0, 0, 0, 7}, DocumentId.parse(id.toString()).bytes());
    }

    @Test
    void rejectsAWrongChecksumNamingTheId() {
        String typo = VECTOR_ID.substring(0, 10) + (VECTOR_ID.charAt(10) == 'a' ? 'b' : 'a') + VECTOR_ID.substring(11);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DocumentId.parse(typo));
        assertEquals(
                "document id \"" + typo + "\" has a wrong checksum (a typo, or not a bs58check id)",
                error.getMessage());
    }

    @Test
    void rejectsCharactersOutsideTheAlphabet() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> DocumentId.parse("1Bhh3pU9gLXZiNDL6PEa1Gs90h"));
        assertEquals(
                "document id \"1Bhh3pU9gLXZiNDL6PEa1Gs90h\" has '0' at index 24, which is not a base58 character",
                error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DocumentId.parse("é"));
        assertThrows(IllegalArgumentException.class, () -> DocumentId.parse(""));
    }

    @Test
    void rejectsHugeTextBeforeDecodingIt() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> DocumentId.parse("2".repeat(1_000_000)));
        assertEquals("document id must be at most 128 characters, but has 1000000", error.getMessage());
    }

    @Test
    void rejectsPayloadsTooShortForAChecksum() {
        assertThrows(IllegalArgumentException.class, () -> DocumentId.parse("2"));
    }

    @Test
    void parsesUrlsWithAndWithoutHeads() {
        String head = RepoVectors.text("that head in bs58check (as in URLs and remote-heads-changed)");
        AutomergeUrl plain = AutomergeUrl.parse("automerge:" + VECTOR_ID);
        assertEquals(VECTOR_ID, plain.documentId().toString());
        assertNull(plain.heads());
        AutomergeUrl withHeads = AutomergeUrl.parse("automerge:" + VECTOR_ID + "#" + head + "|" + head);
        assertEquals(List.of(head, head), withHeads.heads());
        assertEquals("automerge:" + VECTOR_ID + "#" + head + "|" + head, withHeads.toString());
        assertEquals(
                List.of(), AutomergeUrl.parse("automerge:" + VECTOR_ID + "#").heads());
    }

    @Test
    void rejectsMalformedUrlsSayingWhy() {
        assertEquals(
                "not an automerge URL (must start with \"automerge:\"): \"http://x\"",
                assertThrows(IllegalArgumentException.class, () -> AutomergeUrl.parse("http://x"))
                        .getMessage());
        assertEquals(
                "automerge URL has more than one '#': \"automerge:" + VECTOR_ID + "#a#b\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> AutomergeUrl.parse("automerge:" + VECTOR_ID + "#a#b"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> AutomergeUrl.parse("automerge:"));
        assertThrows(IllegalArgumentException.class, () -> AutomergeUrl.parse("automerge:a-b"));
        IllegalArgumentException notAHash = assertThrows(
                IllegalArgumentException.class, () -> AutomergeUrl.parse("automerge:" + VECTOR_ID + "#" + VECTOR_ID));
        assertEquals(
                "automerge URL \"automerge:" + VECTOR_ID + "#" + VECTOR_ID + "\": head \"" + VECTOR_ID
                        + "\" holds 16 bytes, not a 32-byte change hash",
                notAHash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AutomergeUrl.parse("automerge:" + "x".repeat(5000)));
    }
}
