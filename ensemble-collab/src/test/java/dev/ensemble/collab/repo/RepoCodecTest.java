package dev.ensemble.collab.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepoCodecTest {
    private static final RepoCodec CODEC = RepoCodec.standard();
    private static final DocumentId DOC = DocumentId.parse("1Bhh3pU9gLXZiNDL6PEa1Gs9fh");
    private static final String STORAGE = "7a4a2d5e-9e1f-4c3b-8a6d-0f1e2d3c4b5a";
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] vector(String name) {
        byte[] bytes = RepoVectors.staticVectors().get(name);
        if (bytes == null) {
            throw new IllegalStateException("no vector " + name);
        }
        return bytes;
    }

    /** Decodes a JavaScript frame, checks the message, and checks that ours re-encodes to the same CBOR. */
    private static RepoMessage decodesAndReencodes(byte[] frame) {
        RepoMessage message = CODEC.decode(frame);
        byte[] ours = CODEC.encode(message);
        assertEquals(HEX.formatHex(RepoVectors.shortestHeaders(frame)), HEX.formatHex(ours), message.toString());
        assertEquals(message, CODEC.decode(ours));
        return message;
    }

    @Test
    void readsAndWritesTheJoinOfAClientWithStorage() {
        RepoMessage.Join join = assertInstanceOf(RepoMessage.Join.class, decodesAndReencodes(vector("join")));
        assertEquals(new RepoMessage.Join("client-1", new PeerMetadata(STORAGE, false), List.of("1")), join);
    }

    @Test
    void readsAndWritesTheJoinOfAnEphemeralClient() {
        assertEquals(
                new RepoMessage.Join("client-1", PeerMetadata.EPHEMERAL, List.of("1")),
                decodesAndReencodes(vector("join (ephemeral client, no storage)")));
    }

    @Test
    void readsAndWritesPeerAndError() {
        assertEquals(
                new RepoMessage.Peer("server-1", "client-1", new PeerMetadata(STORAGE, false), "1"),
                decodesAndReencodes(vector("peer")));
        assertEquals(
                new RepoMessage.ErrorMessage("server-1", "client-1", "unsupported protocol version"),
                decodesAndReencodes(vector("error")));
    }

    @Test
    void readsAndWritesRequestSyncAndDocUnavailable() {
        assertEquals(
                new RepoMessage.Request(
                        "client-1", "server-1", DOC, vector("request data (sync message of an empty document)")),
                decodesAndReencodes(vector("request")));
        assertEquals(
                new RepoMessage.Sync(
                        "client-1", "server-1", DOC, vector("sync data (first sync message of a one-change document)")),
                decodesAndReencodes(vector("sync")));
        assertEquals(
                new RepoMessage.DocUnavailable("server-1", "client-1", DOC),
                decodesAndReencodes(vector("doc-unavailable")));
    }

    @Test
    void readsAndWritesEphemeral() {
        RepoMessage.Ephemeral ephemeral =
                assertInstanceOf(RepoMessage.Ephemeral.class, decodesAndReencodes(vector("ephemeral")));
        assertEquals(1, ephemeral.count());
        assertEquals("k2j4h5g6f7", ephemeral.sessionId());
        assertEquals("b9000166637572736f7207", HEX.formatHex(ephemeral.data()), "cbor-x's {cursor: 7}");
    }

    @Test
    void readsAndWritesTheRemoteHeadsGossip() {
        assertEquals(
                new RepoMessage.RemoteSubscriptionChange("client-1", "server-1", List.of(STORAGE), List.of()),
                decodesAndReencodes(vector("remote-subscription-change")));
        RepoMessage.RemoteHeadsChanged changed = assertInstanceOf(
                RepoMessage.RemoteHeadsChanged.class, decodesAndReencodes(vector("remote-heads-changed")));
        RepoMessage.RemoteHeads heads = changed.newHeads().get(STORAGE);
        assertEquals(1_765_000_000_000L, heads.timestamp(), "read from a float64");
        assertEquals(List.of("eSTyoCnZvRZWWHP5iJgkwSyybhozSN2t5wffjfzR8x9x2JXKS"), heads.heads());
    }

    @Test
    void readsTheCapturedFramesOfARealServer() {
        RepoMessage.Join join = assertInstanceOf(
                RepoMessage.Join.class,
                CODEC.decode(HEX.parseHex(
                        "b900046474797065646a6f696e6873656e646572496468636c69656e742d616c706565724d65746164617461b90002"
                                + "6973746f726167654964f76b6973457068656d6572616cf57819737570706f7274656450726f746f636f6c5665"
                                + "7273696f6e73816131")));
        assertNull(join.peerMetadata().storageId(), "storageId: undefined (f7) reads as absent");
        assertEquals(true, join.peerMetadata().isEphemeral());
        RepoMessage.Sync sync = assertInstanceOf(
                RepoMessage.Sync.class,
                CODEC.decode(
                        HEX.parseHex(
                                "b9000564747970656473796e6368746172676574496468636c69656e742d6264646174615819430000010000010e85"
                                        + "6f4a83b81a95440004000000000202846a646f63756d656e744964781a3142686833705539674c585a694e44"
                                        + "4c365045613147733966686873656e64657249647673746f726167652d7365727665722d766563746f7273")));
        assertEquals("storage-server-vectors", sync.senderId());
        assertEquals(0x43, sync.data()[0]);
        RepoMessage.Join v2 = assertInstanceOf(
                RepoMessage.Join.class,
                CODEC.decode(HEX.parseHex(
                        "b900046474797065646a6f696e6873656e646572496469636c69656e742d76326c706565724d65746164617461b900"
                                + "007819737570706f7274656450726f746f636f6c56657273696f6e73816132")));
        assertEquals(List.of("2"), v2.supportedProtocolVersions());
        assertEquals(PeerMetadata.EMPTY, v2.peerMetadata());
    }

    @Test
    void readsShortestAndIndefiniteMapsAndAnyKeyOrder() {
        // {"senderId": "a", "type": "join"} with a shortest header, then the same as an indefinite map.
        byte[] shortest = HEX.parseHex("a26873656e646572496461616474797065646a6f696e");
        byte[] indefinite = HEX.parseHex("bf6873656e646572496461616474797065646a6f696eff");
        RepoMessage.Join expected = new RepoMessage.Join("a", PeerMetadata.EMPTY, null);
        assertEquals(expected, CODEC.decode(shortest));
        assertEquals(expected, CODEC.decode(indefinite));
    }

    @Test
    void skipsUnknownFieldsWithoutReadingThem() {
        // {"type": "join", "senderId": "a", "future": [1, {"x": h'00'}]}
        byte[] frame = HEX.parseHex("a3647479706564" + "6a6f696e" + "6873656e646572496461" + "61" + "66667574757265"
                + "8201a1617841" + "00");
        assertEquals(new RepoMessage.Join("a", PeerMetadata.EMPTY, null), CODEC.decode(frame));
    }

    @Test
    void writesLargeNumbersAsFloat64LikeCborX() {
        RepoMessage.Ephemeral message = new RepoMessage.Ephemeral("a", "b", DOC, 1L << 32, "s", new byte[] {1});
        byte[] frame = CODEC.encode(message);
        assertTrue(HEX.formatHex(frame).contains("65636f756e74" + "fb41f0000000000000"), HEX.formatHex(frame));
        assertEquals(message, CODEC.decode(frame));
    }

    // ------------------------------------------------------------------ hostile input

    private static String rejected(String hex) {
        return assertThrows(RepoProtocolException.class, () -> CODEC.decode(HEX.parseHex(hex)))
                .getMessage();
    }

    @Test
    void rejectsFramesThatAreNotAMap() {
        assertEquals("a frame must be one CBOR map, but it holds an integer (first byte 0x01)", rejected("01"));
        assertEquals("a frame must be one CBOR map, but it holds null or undefined (first byte 0xf6)", rejected("f6"));
        assertEquals("a frame must be one CBOR map, but it holds an array (first byte 0x80)", rejected("80"));
        assertEquals("a frame must be one CBOR map, but it holds text (first byte 0x61)", rejected("6161"));
        assertEquals(
                "empty frame: a message is one CBOR map",
                assertThrows(RepoProtocolException.class, () -> CODEC.decode(new byte[0]))
                        .getMessage());
    }

    @Test
    void rejectsBytesThatAreNotCbor() {
        assertTrue(rejected("ff0001").startsWith("frame is not well-formed CBOR: "));
        assertTrue(rejected("a1").startsWith("frame is not well-formed CBOR: "), "a map header and nothing else");
    }

    @Test
    void rejectsTrailingBytesAfterTheMap() {
        assertTrue(rejected("a0" + "a0").startsWith("a frame must hold one CBOR map, but more follows it"));
    }

    @Test
    void rejectsMissingAndWronglyTypedFieldsByName() {
        assertEquals("the message has no text field \"type\"", rejected("a0"));
        assertEquals(
                "a join message needs the field \"senderId\", but it is missing",
                rejected("a1647479706564" + "6a6f696e"));
        // {"type": 5}
        assertEquals("field \"type\" must be text, but is an integer", rejected("a16474797065" + "05"));
        // {"type": "sync", "senderId": "a", "targetId": "b", "documentId": DOC, "data": "text"}
        String sync = "a5" + "6474797065" + "6473796e63" + "6873656e646572496461" + "61" + "68746172676574496461" + "62"
                + "6a646f63756d656e744964" + "781a"
                + HEX.formatHex(DOC.toString().getBytes()) + "6464617461";
        assertEquals("field \"data\" must be a byte string, but is text", rejected(sync + "6178"));
        assertEquals("a sync message must carry data, but \"data\" is empty", rejected(sync + "40"));
        assertEquals("a sync message needs the field \"data\", but it is missing", rejected(sync + "f7"));
    }

    @Test
    void rejectsABadDocumentIdNamingIt() {
        // {"type": "doc-unavailable", "senderId": "a", "targetId": "b", "documentId": "2"}
        String error = rejected("a4" + "6474797065" + "6f646f632d756e617661696c61626c65" + "6873656e646572496461" + "61"
                + "68746172676574496461" + "62" + "6a646f63756d656e744964" + "6132");
        assertEquals(
                "a doc-unavailable message has an invalid documentId: document id \"2\" is too short to hold a checksum",
                error);
    }

    @Test
    void rejectsDuplicateKeys() {
        assertEquals(
                "field \"type\" appears twice in the message",
                rejected("a2" + "6474797065" + "646a6f696e" + "6474797065" + "646a6f696e"));
    }

    @Test
    void setsApartUnknownTypes() {
        RepoProtocolException error = assertThrows(
                RepoProtocolException.class, () -> CODEC.decode(HEX.parseHex("a1" + "6474797065" + "656c65617665")));
        UnknownMessageTypeException unknown = assertInstanceOf(UnknownMessageTypeException.class, error);
        assertEquals("leave", unknown.type());
        assertEquals("unknown message type \"leave\"", unknown.getMessage());
    }

    @Test
    void rejectsOversizedFramesBeforeParsing() {
        RepoCodec small = RepoCodec.withMaxFrameBytes(1024);
        byte[] frame = new byte[1025];
        frame[0] = (byte) 0xa0;
        assertEquals(
                "frame of 1025 bytes exceeds the limit of 1024 bytes",
                assertThrows(RepoProtocolException.class, () -> small.decode(frame))
                        .getMessage());
        RepoMessage big = new RepoMessage.Sync("a", "b", DOC, new byte[2000]);
        assertEquals(
                "a sync message of 2080 bytes exceeds the frame limit of 1024 bytes",
                assertThrows(RepoProtocolException.class, () -> small.encode(big))
                        .getMessage());
    }

    @Test
    void rejectsDeclaredLengthsBeyondTheFrameWithoutAllocatingThem() {
        // Byte string, text, map and array headers that claim far more than the frame holds.
        for (String hex : List.of(
                "a1" + "6464617461" + "5a7fffffff" + "00",
                "a1" + "6474797065" + "7affffffff" + "61",
                "baffffffff" + "6474797065" + "646a6f696e",
                "a1" + "63616464" + "9affffffff" + "6161")) {
            String error = rejected(hex);
            assertTrue(error.startsWith("frame is not well-formed CBOR"), hex + ": " + error);
        }
    }

    @Test
    void boundsListsAndTextFields() {
        StringBuilder hex = new StringBuilder("a2" + "6474797065" + "646a6f696e"
                + "7819737570706f7274656450726f746f636f6c56657273696f6e73" + "9a00000401");
        for (int i = 0; i < 1025; i++) {
            hex.append("6131");
        }
        assertEquals("field \"supportedProtocolVersions\" has more than 1024 entries", rejected(hex.toString()));
        String longText = "7a00001001" + "61".repeat(4097);
        assertEquals(
                "field \"senderId\" has 4097 characters, more than the limit of 4096",
                rejected("a1" + "6873656e6465724964" + longText));
    }

    @Test
    void rejectsCountsThatAreNotSafeIntegers() {
        String prefix = "a1" + "65636f756e74";
        assertEquals("field \"count\" must be an integer from 0 to 2^53-1, but is -1", rejected(prefix + "20"));
        assertEquals(
                "field \"count\" must be an integer from 0 to 2^53-1, but is 1.5",
                rejected(prefix + "fb3ff8000000000000"));
        assertEquals(
                "field \"count\" must be an integer from 0 to 2^53-1, but is NaN",
                rejected(prefix + "fb7ff8000000000000"));
        assertEquals("field \"count\" must be a number, but is text", rejected(prefix + "6131"));
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "a1" + "6466757475" + "81".repeat(100) + "00";
        assertTrue(rejected(deep).startsWith("frame exceeds a decoding limit"), rejected(deep));
    }

    @Test
    void everyTruncationOfEveryVectorIsAClearError() {
        for (Map.Entry<String, byte[]> vector : RepoVectors.staticVectors().entrySet()) {
            byte[] frame = vector.getValue();
            if (frame.length == 0 || (frame[0] & 0xff) != 0xb9) {
                continue;
            }
            for (int length = 0; length < frame.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(frame, length);
                assertThrows(
                        RepoProtocolException.class, () -> CODEC.decode(prefix), vector.getKey() + " cut at " + length);
            }
            assertArrayEquals(frame, frame.clone());
        }
    }
}
