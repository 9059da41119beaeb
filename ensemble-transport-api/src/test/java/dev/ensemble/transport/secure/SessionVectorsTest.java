package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session layer's vector file, docs/vectors/secure-session/session-vectors.txt (made by
 * session-vectors.py with Python's {@code cryptography}, independently of this code): every value,
 * the {@code finished} signature and the four handshake frames included, is recomputed here and
 * must match byte for byte, and the signatures must verify with the peers' keys.
 */
class SessionVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theJavaImplementationMakesEveryValueOfTheVectorFile() throws Exception {
        Map<String, String> file = vectors();
        PeerIdentity initiator = PeerIdentity.fromSeed(hex(file, "initiator ed25519 seed"));
        PeerIdentity responder = PeerIdentity.fromSeed(hex(file, "responder ed25519 seed"));
        byte[] context = SessionKeys.context(file.get("context (room, text)"));
        byte[] nI = hex(file, "nI");
        byte[] nR = hex(file, "nR");
        X25519.Ephemeral eI = ephemeral(hex(file, "eI private"));
        X25519.Ephemeral eR = ephemeral(hex(file, "eR private"));
        byte[] pkI = initiator.peerId().publicKey();
        byte[] pkR = responder.peerId().publicKey();

        byte[] th = SessionKeys.transcriptHash(context, pkI, pkR, nI, nR, eI.publicKey(), eR.publicKey());
        byte[] dh = eI.agree(eR.publicKey());
        SessionKeys keys = SessionKeys.derive(th, dh);
        byte[] sigR = responder.sign(SessionKeys.responderSigned(th));
        byte[] sigI = initiator.sign(SessionKeys.initiatorSigned(th));
        byte[] sigF = responder.sign(SessionKeys.finishedSigned(th));
        List<byte[]> fromResponder = new ArrayList<>();
        Session initiatorSide = Session.asInitiator(keys);
        Session responderSide = Session.asResponder(keys);
        byte[][] hi = new byte[1][];
        initiatorSide.sendNext(ascii("hi"), frame -> {
            hi[0] = frame;
            return true;
        });
        responderSide.sendNext(ascii("unused"), frame -> true);
        responderSide.sendNext(ascii("ho"), frame -> fromResponder.add(frame));

        Map<String, byte[]> computed = new LinkedHashMap<>();
        computed.put("pkI", pkI);
        computed.put("pkR", pkR);
        computed.put("eI", eI.publicKey());
        computed.put("eR", eR.publicKey());
        computed.put("dh", dh);
        computed.put("th", th);
        computed.put("kIR", keys.initiatorToResponder);
        computed.put("kRI", keys.responderToInitiator);
        computed.put("sid", keys.sessionId);
        computed.put("sigR", sigR);
        computed.put("sigI", sigI);
        computed.put("sigF", sigF);
        computed.put("init frame", SessionFrames.frame(SessionFrames.INIT, nI, eI.publicKey()));
        computed.put("accept frame", SessionFrames.frame(SessionFrames.ACCEPT, nI, nR, eR.publicKey(), sigR));
        computed.put("confirm frame", SessionFrames.frame(SessionFrames.CONFIRM, nI, nR, sigI));
        computed.put("finished frame", SessionFrames.frame(SessionFrames.FINISHED, nI, nR, sigF));
        computed.put("data frame, initiator to responder, counter 0, plaintext \"hi\"", hi[0]);
        computed.put("data frame, responder to initiator, counter 1, plaintext \"ho\"", fromResponder.get(0));
        for (Map.Entry<String, byte[]> value : computed.entrySet()) {
            assertTrue(file.containsKey(value.getKey()), "the vector file lacks " + value.getKey());
            assertEquals(file.get(value.getKey()), HEX.formatHex(value.getValue()), value.getKey());
        }
        assertEquals(file.size(), computed.size() + 7, "every value of the file is an input or checked");

        // The signatures verify with the peers' did:keys, each under its own label only.
        assertTrue(responder.peerId().verify(SessionKeys.finishedSigned(th), hex(file, "sigF")));
        assertFalse(responder.peerId().verify(SessionKeys.responderSigned(th), hex(file, "sigF")));
        assertTrue(responder.peerId().verify(SessionKeys.responderSigned(th), hex(file, "sigR")));
        assertTrue(initiator.peerId().verify(SessionKeys.initiatorSigned(th), hex(file, "sigI")));
        // And the other side opens each data frame of the file.
        Session opener = Session.asInitiator(keys);
        assertEquals(
                "ho",
                text(opener.open(hex(file, "data frame, responder to initiator, counter 1, plaintext \"ho\""))
                        .plaintext()));
        Session responderOpener = Session.asResponder(keys);
        assertEquals(
                "hi",
                text(responderOpener
                        .open(hex(file, "data frame, initiator to responder, counter 0," + " plaintext \"hi\""))
                        .plaintext()));
    }

    /** The pair for a private key; its public key is X25519(k, 9), computed by the JDK (RFC 7748, 6.1). */
    private static X25519.Ephemeral ephemeral(byte[] privateKey) throws Exception {
        byte[] basePoint = new byte[X25519.KEY_BYTES];
        basePoint[0] = 9;
        byte[] publicKey = X25519.fromPrivate(privateKey, basePoint).agree(basePoint);
        return X25519.fromPrivate(privateKey, publicKey);
    }

    private static Map<String, String> vectors() throws IOException {
        Map<String, String> vectors = new LinkedHashMap<>();
        String name = null;
        for (String line : Files.readAllLines(directory().resolve("session-vectors.txt"))) {
            if (line.startsWith("  ")) {
                vectors.put(name, line.trim());
            } else if (!line.isBlank()) {
                name = line.trim();
            }
        }
        return vectors;
    }

    private static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/vectors/secure-session");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "docs/vectors/secure-session not found above " + Path.of("").toAbsolutePath());
    }

    private static byte[] hex(Map<String, String> file, String name) {
        String value = file.get(name);
        assertTrue(value != null, "the vector file lacks " + name);
        return HEX.parseHex(value);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
