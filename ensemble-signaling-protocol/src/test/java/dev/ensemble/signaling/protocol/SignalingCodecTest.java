package dev.ensemble.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.Revocation;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SignalingCodecTest {

    private static final String ALICE = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesTheDocumentedJson() throws Exception {
        PeerId alice = PeerId.parse(ALICE);
        assertEquals(
                "{\"type\":\"join\",\"room\":\"lobby\"}", SignalingCodec.encode(new ClientMessage.Join("lobby", null)));
        assertEquals(
                "{\"type\":\"signal\",\"room\":\"lobby\",\"to\":\"" + ALICE + "\",\"data\":{\"sdp\":\"v=0\"}}",
                SignalingCodec.encode(new ClientMessage.Signal("lobby", alice, JSON.readTree("{\"sdp\":\"v=0\"}"))));
        assertEquals(
                "{\"type\":\"signal\",\"room\":\"lobby\",\"from\":\"" + ALICE + "\",\"data\":{}}",
                SignalingCodec.encode(new ServerMessage.RelayedSignal("lobby", alice, JSON.createObjectNode())));
        assertEquals(
                "{\"type\":\"error\",\"code\":\"room-full\",\"message\":\"full\"}",
                SignalingCodec.encode(ServerMessage.Error.of(ErrorCode.ROOM_FULL, "full")));
        assertEquals(
                "{\"type\":\"error\",\"code\":\"unknown-peer\",\"message\":\"gone\",\"room\":\"lobby\","
                        + "\"peerId\":\"" + ALICE + "\"}",
                SignalingCodec.encode(ServerMessage.Error.of(ErrorCode.UNKNOWN_PEER, "gone", "lobby", alice)));
        assertEquals(
                "{\"type\":\"welcome\",\"peerId\":\"" + ALICE + "\",\"iceServers\":[{\"urls\":[\"stun:s:3478\"]},"
                        + "{\"urls\":[\"turn:t:3478\"],\"username\":\"1:x\",\"credential\":\"c\"}]}",
                SignalingCodec.encode(new ServerMessage.Welcome(
                        alice,
                        List.of(
                                IceServer.of(List.of("stun:s:3478")),
                                new IceServer(List.of("turn:t:3478"), "1:x", "c")))));
        assertEquals(
                "{\"type\":\"welcome\",\"peerId\":\"" + ALICE + "\",\"iceServers\":[],\"maxFrameBytes\":131072}",
                SignalingCodec.encode(new ServerMessage.Welcome(alice, List.of(), OptionalInt.of(131072))));
    }

    @Test
    void readsTheAnnouncedFrameLimitAndRejectsOneThatIsNotAPositiveInteger() throws Exception {
        String welcome = "{\"type\":\"welcome\",\"peerId\":\"" + ALICE + "\",\"iceServers\":[]";
        assertEquals(
                OptionalInt.empty(),
                ((ServerMessage.Welcome) SignalingCodec.decodeServerMessage(welcome + "}")).maxFrameBytes());
        assertEquals(
                "welcome: field \"maxFrameBytes\" must be a positive integer but is number '0'",
                assertThrows(
                                MalformedMessageException.class,
                                () -> SignalingCodec.decodeServerMessage(welcome + ",\"maxFrameBytes\":0}"))
                        .getMessage());
        assertThrows(
                MalformedMessageException.class,
                () -> SignalingCodec.decodeServerMessage(welcome + ",\"maxFrameBytes\":1.5}"));
        assertThrows(
                MalformedMessageException.class,
                () -> SignalingCodec.decodeServerMessage(welcome + ",\"maxFrameBytes\":\"128k\"}"));
    }

    @Test
    void roundTripsEveryMessageType() throws Exception {
        PeerId alice = PeerId.parse(ALICE);
        PeerId bob = PeerIdentity.generate().peerId();
        List<ClientMessage> client = List.of(
                Handshake.hello(PeerIdentity.generate(), "bm9uY2U="),
                new ClientMessage.Join("room-1", null),
                new ClientMessage.Join("room-1", "tok.en"),
                new ClientMessage.Leave("room-1"),
                new ClientMessage.Signal("room-1", bob, JSON.readTree("{\"candidate\":{\"a\":[1,2]}}")),
                new ClientMessage.Revoke(
                        "room-1",
                        Revocation.ofMember(PeerIdentity.generate(), "room-1", bob, Instant.now())
                                .toText()));
        for (ClientMessage message : client) {
            assertEquals(message, SignalingCodec.decodeClientMessage(SignalingCodec.encode(message)));
        }
        List<ServerMessage> server = List.of(
                new ServerMessage.Challenge("bm9uY2U="),
                new ServerMessage.Welcome(alice, List.of(IceServer.of(List.of("stun:x")))),
                new ServerMessage.Welcome(alice, List.of(), OptionalInt.of(4096)),
                new ServerMessage.Joined("r", List.of(alice, bob)),
                new ServerMessage.Left("r"),
                new ServerMessage.PeerJoined("r", bob),
                new ServerMessage.PeerLeft("r", bob),
                new ServerMessage.RelayedSignal("r", alice, JSON.readTree("{\"sdp\":\"x\"}")),
                ServerMessage.Error.of(ErrorCode.BAD_REQUEST, "why"),
                ServerMessage.Error.of(ErrorCode.UNKNOWN_PEER, "gone", "r", bob),
                ServerMessage.Error.of(ErrorCode.ROOM_FULL, "full", "r", null));
        for (ServerMessage message : server) {
            assertEquals(message, SignalingCodec.decodeServerMessage(SignalingCodec.encode(message)));
        }
    }

    @Test
    void namesWhatIsWrongWithAMalformedClientFrame() {
        assertClientError("{", "frame is not valid JSON");
        assertClientError("[1]", "frame must be a JSON object with a \"type\" field but is array");
        assertClientError("{\"room\":\"a\"}", "(message): field \"type\" is required");
        assertClientError("{\"type\":7}", "field \"type\" must be a string but is number '7'");
        assertClientError(
                "{\"type\":\"welcome\"}",
                "unknown message type 'welcome'; a client may send hello, join, leave, signal or revoke");
        assertClientError("{\"type\":\"join\"}", "join: field \"room\" is required");
        assertClientError("{\"type\":\"join\",\"room\":\"a b\"}", "join: field \"room\" must be 1..128 characters");
        assertClientError("{\"type\":\"join\",\"room\":\"a\",\"token\":5}", "join: field \"token\" must be a string");
        assertClientError(
                "{\"type\":\"signal\",\"room\":\"a\",\"to\":\"bob\",\"data\":{}}",
                "signal: field \"to\" is not a peer id: a peer id must start with 'did:key:z'");
        assertClientError(
                "{\"type\":\"signal\",\"room\":\"a\",\"to\":\"" + ALICE + "\",\"data\":\"x\"}",
                "signal: field \"data\" must be a JSON object but is string 'x'");
        assertClientError("{\"type\":\"leave\",\"room\":\"a\"} {}", "frame is not valid JSON");
        assertClientError("{\"type\":\"leave\",\"room\":\"a\",\"room\":\"b\"}", "Duplicate field 'room'");
        assertClientError(
                "{\"type\":\"signal\",\"room\":\"a\",\"to\":\"" + ALICE + "\",\"data\":" + "{\"a\":".repeat(40) + "1"
                        + "}".repeat(40) + "}",
                "frame is not valid JSON");
    }

    @Test
    void writesAndReadsARevokeAsDocumented() throws Exception {
        String revocation = Revocation.ofMember(
                        PeerIdentity.generate(), "jam", PeerId.parse(ALICE), Instant.parse("2026-01-01T00:00:00Z"))
                .toText();
        String frame = "{\"type\":\"revoke\",\"room\":\"jam\",\"revocation\":\"" + revocation + "\"}";
        assertEquals(frame, SignalingCodec.encode(new ClientMessage.Revoke("jam", revocation)));
        assertEquals(new ClientMessage.Revoke("jam", revocation), SignalingCodec.decodeClientMessage(frame));
        // The largest revocation there can be (a room name of 255 bytes) fits the limit exactly.
        String longest = Revocation.ofMember(
                        PeerIdentity.generate(), "r".repeat(255), PeerId.parse(ALICE), Instant.now())
                .toText();
        assertEquals(ClientMessage.Revoke.MAX_REVOCATION_CHARS, longest.length());
        assertEquals(547, ClientMessage.Revoke.MAX_REVOCATION_CHARS);
        assertEquals(
                longest,
                ((ClientMessage.Revoke) SignalingCodec.decodeClientMessage(
                                "{\"type\":\"revoke\",\"room\":\"jam\",\"revocation\":\"" + longest + "\"}"))
                        .revocation());
    }

    @Test
    void namesWhatIsWrongWithAMalformedRevoke() {
        assertClientError(
                "{\"type\":\"revoke\",\"revocation\":\"ensemble-revocation:AQ\"}",
                "revoke: field \"room\" is required");
        assertClientError(
                "{\"type\":\"revoke\",\"room\":\"a b\",\"revocation\":\"ensemble-revocation:AQ\"}",
                "revoke: field \"room\" must be 1..128 characters");
        assertClientError("{\"type\":\"revoke\",\"room\":\"jam\"}", "revoke: field \"revocation\" is required");
        assertClientError(
                "{\"type\":\"revoke\",\"room\":\"jam\",\"revocation\":7}",
                "revoke: field \"revocation\" must be a string but is number '7'");
        assertClientError(
                "{\"type\":\"revoke\",\"room\":\"jam\",\"revocation\":\"ensemble-invite:AQ\"}",
                "revoke: field \"revocation\" must be a revocation's text form, starting with 'ensemble-revocation:',"
                        + " but is 'ensemble-invite:AQ'");
        assertClientError(
                "{\"type\":\"revoke\",\"room\":\"jam\",\"revocation\":\"ensemble-revocation:"
                        + "A".repeat(ClientMessage.Revoke.MAX_REVOCATION_CHARS) + "\"}",
                "revoke: field \"revocation\" must be at most 547 characters but has 567");
        IllegalArgumentException inCode =
                assertThrows(IllegalArgumentException.class, () -> new ClientMessage.Revoke("jam", "x".repeat(10_000)));
        assertEquals("field \"revocation\" must be at most 547 characters but has 10000", inCode.getMessage());
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws MalformedMessageException {
        assertEquals(
                new ClientMessage.Leave("a"),
                SignalingCodec.decodeClientMessage("{\"type\":\"leave\",\"room\":\"a\",\"future\":true}"));
    }

    @Test
    void knowsEveryStableErrorCode() {
        assertEquals(Optional.of(ErrorCode.NOT_IN_ROOM), ErrorCode.fromCode("not-in-room"));
        assertEquals(Optional.empty(), ErrorCode.fromCode("no-such-code"));
        for (String code : List.of(
                "bad-request",
                "unauthorized",
                "not-in-room",
                "unknown-peer",
                "rate-limited",
                "too-large",
                "room-full")) {
            assertTrue(ErrorCode.fromCode(code).isPresent(), code);
        }
    }

    @Test
    void handshakeVerifiesOnlyTheSignerOfTheExactNonce() {
        PeerIdentity alice = PeerIdentity.generate();
        String nonce = Handshake.newNonce(new SecureRandom());
        ClientMessage.Hello hello = Handshake.hello(alice, nonce);
        assertTrue(Handshake.verify(hello, nonce));
        assertFalse(Handshake.verify(hello, Handshake.newNonce(new SecureRandom())));
        ClientMessage.Hello spoofed =
                new ClientMessage.Hello(PeerIdentity.generate().peerId(), hello.signature());
        assertFalse(Handshake.verify(spoofed, nonce));
        assertFalse(Handshake.verify(new ClientMessage.Hello(alice.peerId(), "%%%"), nonce));
    }

    private static void assertClientError(String frame, String expected) {
        MalformedMessageException error =
                assertThrows(MalformedMessageException.class, () -> SignalingCodec.decodeClientMessage(frame));
        assertTrue(
                error.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + error.getMessage());
    }
}
