package dev.ensemble.transport.webrtc.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Signal JSON in the shapes a browser's WebRTC API produces; no network needed. */
class SignalCodecTest {

    static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n";

    @Test
    void encodesAnOfferInTheBrowserShape() {
        Signal offer = new Signal.Description(Signal.Type.OFFER, SDP, "9f2c4e71a0b3d855", null);
        assertEquals(
                "{\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 4611731400430051336"
                        + " 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n\"},\"session\":\"9f2c4e71a0b3d855\"}",
                SignalCodec.toJsonString(offer));
    }

    @Test
    void encodesACandidateInTheBrowserShape() {
        Signal candidate = new Signal.Candidate(
                "candidate:1 1 udp 2122260223 10.99.0.1 50417 typ host",
                "0",
                0,
                "9f2c4e71a0b3d855",
                "5be1a07c93d2e614");
        assertEquals(
                "{\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.99.0.1 50417"
                        + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"session\":\"9f2c4e71a0b3d855\","
                        + "\"peerSession\":\"5be1a07c93d2e614\"}",
                SignalCodec.toJsonString(candidate));
    }

    @Test
    void roundTripsEverySignalKind() throws Exception {
        Signal[] signals = {
            new Signal.Description(Signal.Type.OFFER, SDP, "a1", null),
            new Signal.Description(Signal.Type.ANSWER, SDP, null, null),
            new Signal.Description(Signal.Type.ANSWER, SDP, "a2", "b7"),
            new Signal.Candidate("candidate:2 1 tcp 1518280447 10.99.0.2 9 typ host", "0", 0, "b2", "a2"),
            new Signal.Candidate("candidate:3 1 udp 41885439 10.99.0.1 3478 typ relay", null, 1, null, null),
            new Signal.Candidate("", null, null, "c3", null),
        };
        for (Signal signal : signals) {
            assertEquals(signal, SignalCodec.fromJson(SignalCodec.toJsonString(signal)));
        }
    }

    @Test
    void readsWhatABrowserSendsIgnoringExtraMembers() throws Exception {
        Signal candidate = SignalCodec.fromJson("{\"candidate\":{\"candidate\":\"candidate:1 1 udp 1"
                + " 10.0.0.1 1 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
                + "\"usernameFragment\":\"Xk3e\"}}");
        assertEquals(new Signal.Candidate("candidate:1 1 udp 1 10.0.0.1 1 typ host", "0", 0, null, null), candidate);
        Signal end = SignalCodec.fromJson("{\"candidate\":null}");
        assertTrue(((Signal.Candidate) end).isEndOfCandidates());
    }

    @Test
    void rejectsMalformedSignalsNamingWhatIsWrong() {
        assertMalformed("[1,2]", "signal data must be a JSON object with \"description\" or \"candidate\", was array");
        assertMalformed(
                "{\"hello\":1}",
                "signal data must have exactly one of \"description\" and"
                        + " \"candidate\", had neither (members: hello)");
        assertMalformed(
                "{\"description\":{\"type\":\"offer\",\"sdp\":\"x\"},\"candidate\":null}",
                "signal data must have exactly one of \"description\" and \"candidate\", had both"
                        + " (members: description, candidate)");
        assertMalformed(
                "{\"description\":{\"type\":\"rollback\",\"sdp\":\"x\"}}",
                "description.type must be \"offer\" or \"answer\" (perfect negotiation uses no others),"
                        + " was \"rollback\"");
        assertMalformed(
                "{\"description\":{\"type\":\"offer\"}}", "description.sdp is required (a string), was missing");
        assertMalformed(
                "{\"description\":{\"type\":\"offer\",\"sdp\":\"\"}}",
                "invalid signal: description sdp must be 1 to 65536 characters, was 0");
        assertMalformed(
                "{\"description\":\"v=0\"}", "\"description\" must be an object with \"type\" and \"sdp\", was string");
        assertMalformed(
                "{\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":\"zero\"}}",
                "candidate.sdpMLineIndex must be an integer or null, was string \"zero\"");
        assertMalformed(
                "{\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":-1}}",
                "invalid signal: sdpMLineIndex must be 0 to 1023, was -1");
        assertMalformed(
                "{\"candidate\":{\"candidate\":\"candidate:1\"}}",
                "a candidate needs \"sdpMid\" or \"sdpMLineIndex\" to name its media section, both were" + " missing");
        assertMalformed("{\"candidate\":null,\"session\":7}", "session must be a string, was number 7");
        assertMalformed(
                "{\"candidate\":null,\"peerSession\":\"\"}",
                "invalid signal: peerSession must be 1 to 64 characters, was 0");
        assertMalformed(
                "{\"description\":", "signal data is not JSON: Unexpected end-of-input within/between Object entries");
    }

    @Test
    void rejectsOversizedInputBeforeParsingIt() {
        String huge = "{\"description\":{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(300_000) + "\"}}";
        MalformedSignalException error = assertThrows(MalformedSignalException.class, () -> SignalCodec.fromJson(huge));
        assertEquals("signal data must be at most 262144 characters, was 300041", error.getMessage());
        String longSdp = "{\"description\":{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(70_000) + "\"}}";
        assertMalformed(longSdp, "invalid signal: description sdp must be 1 to 65536 characters, was 70000");
    }

    static void assertMalformed(String json, String message) {
        MalformedSignalException error =
                assertThrows(MalformedSignalException.class, () -> SignalCodec.fromJson(json), json);
        assertEquals(message, error.getMessage());
    }
}
