package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.webrtc.signal.Signal;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Signs this peer's WebRTC descriptions with its {@code did:key} and checks the descriptions of
 * others (docs/SECURITY.md, "Signed descriptions"), so that a signaling server cannot swap the
 * DTLS fingerprint in an offer or answer and sit between two peers, nor replay an old description.
 *
 * <p>The signature covers a label, the room, both peers' keys, the type, both session tokens and
 * the SHA-256 of the whole SDP (which holds the DTLS fingerprint). A description that names a
 * receiver's connection ({@code peerSession}) must name the receiver's current one, else it is
 * stale: dropped before it can touch the freshness record, so that a replayed description of an
 * older connection that the receiver never saw cannot retire the sender's current one. A
 * description is then fresh if its SDP's {@code o=} line names the sender's current connection with
 * a version no lower than the last accepted, or a connection never seen before; an earlier
 * connection's description is a replay. ICE candidates are not signed: a forged one can only make a
 * connection fail, since DTLS then checks the signed fingerprint.
 *
 * <p>Memory is bounded: at most {@value #RETIRED_PER_PEER} earlier connections per sender and
 * {@value #MAX_SENDERS} senders, the least recently heard first forgotten, but never a sender that
 * {@link #pinWhile} says is wanted while an unwanted one can go (a hostile server can sign as any
 * number of fresh keys; it must not push out what protects the real peers).
 *
 * <p>Threading: {@link #sign} is stateless; {@link #check} keeps per-peer freshness and is called
 * on the transport's owner thread only.
 */
final class DescriptionSigner {

    private static final byte[] LABEL = "ensemble-signal/1".getBytes(StandardCharsets.US_ASCII);
    /** How many earlier connections of one peer are remembered as replays. */
    static final int RETIRED_PER_PEER = 64;
    /** How many senders' freshness records are kept at most. */
    static final int MAX_SENDERS = 1024;

    /** What {@link #check} decided. */
    enum Outcome {
        /** Genuine and fresh: apply it. */
        ACCEPTED,
        /** Genuine but for a connection of this peer that is not the current one: drop it quietly. */
        STALE,
        /** Forged, altered, unsigned or replayed: drop it and report the reason. */
        REFUSED
    }

    /**
     * The outcome of a check and, unless accepted, why.
     *
     * @param outcome what to do with the description
     * @param reason why it is stale or refused; {@code null} when accepted
     */
    record Verdict(Outcome outcome, String reason) {
        static final Verdict ACCEPT = new Verdict(Outcome.ACCEPTED, null);

        static Verdict refused(String reason) {
            return new Verdict(Outcome.REFUSED, reason);
        }

        boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    private final PeerIdentity identity;
    private final byte[] context;
    /** Access-ordered: the least recently heard sender first. */
    private final LinkedHashMap<PeerId, Freshness> freshness = new LinkedHashMap<>(16, 0.75f, true);

    private final int maxSenders;
    private Predicate<PeerId> pinned = peer -> false;

    DescriptionSigner(PeerIdentity identity, String context) {
        this(identity, context, MAX_SENDERS);
    }

    /** With a smaller cap on senders, for tests. */
    DescriptionSigner(PeerIdentity identity, String context, int maxSenders) {
        this.identity = identity;
        this.maxSenders = maxSenders;
        this.context = context.getBytes(StandardCharsets.UTF_8);
        if (this.context.length < 1 || this.context.length > 255) {
            throw new IllegalArgumentException(
                    "a signing context (the room) must be 1 to 255 bytes of UTF-8 but has " + this.context.length);
        }
    }

    /**
     * Tells which senders' records to keep over others when the record is full (the transport's
     * wanted peers). Owner thread only.
     */
    void pinWhile(Predicate<PeerId> pinned) {
        this.pinned = pinned;
    }

    /** How many senders have a freshness record (tests). */
    int trackedSenders() {
        return freshness.size();
    }

    PeerId self() {
        return identity.peerId();
    }

    /** The description with this peer's signature for {@code to}. */
    Signal.Description sign(PeerId to, Signal.Description description) {
        byte[] signature = identity.sign(signedBytes(identity.peerId(), to, description));
        return description.withSignature(Base64.getEncoder().encodeToString(signature));
    }

    /**
     * Checks a description from {@code from}: its signature, that it belongs to this peer's current
     * connection with the sender, then its freshness. Only an accepted description updates the
     * freshness record.
     *
     * @param currentSession this peer's current connection session with {@code from}, or {@code
     *     null} if it has none
     * @return the verdict
     */
    Verdict check(PeerId from, Signal.Description description, String currentSession) {
        if (description.signature() == null) {
            return Verdict.refused("it is unsigned, and this peer accepts signed descriptions only (the sender is too"
                    + " old, or the signaling server removed the signature)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(description.signature());
        } catch (IllegalArgumentException e) {
            return Verdict.refused("its signature is not base64");
        }
        if (!from.verify(signedBytes(from, identity.peerId(), description), signature)) {
            return Verdict.refused("its signature does not verify with " + from.shortForm() + "'s did:key: its SDP"
                    + " (the DTLS fingerprint, say), addressee, room or sessions were altered on the way, or it was"
                    + " signed for another peer or room");
        }
        if (description.peerSession() != null && !description.peerSession().equals(currentSession)) {
            // Signed for a connection of ours that is gone (or never was ours to keep): a late
            // signal or a replay, indistinguishable, and harmless once dropped before the record.
            return new Verdict(
                    Outcome.STALE,
                    "it belongs to this peer's connection " + description.peerSession() + ", not the current "
                            + (currentSession == null ? "(none)" : currentSession));
        }
        Origin origin = Origin.of(description.sdp());
        if (origin == null) {
            return Verdict.refused("its SDP has no valid o= line");
        }
        Freshness known = freshness.get(from);
        if (known != null && known.retired.contains(origin.id)) {
            return Verdict.refused("it belongs to an earlier connection of that peer (SDP session " + origin.id
                    + "): a replayed signal");
        }
        if (known != null && origin.id.equals(known.current) && origin.version < known.version) {
            return Verdict.refused("it is older (SDP version " + origin.version + ") than a description already"
                    + " accepted (version " + known.version + "): a replayed signal");
        }
        if (known == null) {
            known = new Freshness();
            freshness.put(from, known);
            bound();
        }
        if (!origin.id.equals(known.current)) {
            if (known.current != null) {
                known.retired.add(known.current);
                if (known.retired.size() > RETIRED_PER_PEER) {
                    Iterator<String> eldest = known.retired.iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            known.current = origin.id;
            known.version = Long.MIN_VALUE;
        }
        known.version = Math.max(known.version, origin.version);
        return Verdict.ACCEPT;
    }

    /** Forgets the least recently heard unpinned sender (or, if all are pinned, the eldest) past the cap. */
    private void bound() {
        if (freshness.size() <= maxSenders) {
            return;
        }
        PeerId victim = null;
        for (PeerId peer : freshness.keySet()) {
            if (!pinned.test(peer)) {
                victim = peer;
                break;
            }
        }
        if (victim == null) {
            victim = freshness.keySet().iterator().next();
        }
        freshness.remove(victim);
    }

    private byte[] signedBytes(PeerId from, PeerId to, Signal.Description description) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(LABEL);
        out.write(context.length);
        out.writeBytes(context);
        out.writeBytes(from.publicKey());
        out.writeBytes(to.publicKey());
        out.write(description.type() == Signal.Type.OFFER ? 0 : 1);
        token(out, description.session());
        token(out, description.peerSession());
        out.writeBytes(sha256(description.sdp().getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    /** A token as a two-byte length and its UTF-8 bytes; absent is length zero (tokens are never empty). */
    private static void token(ByteArrayOutputStream out, String token) {
        byte[] bytes = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256; every Java runtime has one", e);
        }
    }

    private static final class Freshness {
        final Set<String> retired = new LinkedHashSet<>();
        String current;
        long version = Long.MIN_VALUE;
    }

    /** The session id and version of an SDP's {@code o=} line (RFC 8866 section 5.2). */
    record Origin(String id, long version) {
        static Origin of(String sdp) {
            for (String line : sdp.split("\r?\n", 8)) {
                if (line.startsWith("o=")) {
                    String[] fields = line.substring(2).split(" ");
                    if (fields.length < 3) {
                        return null;
                    }
                    try {
                        return new Origin(fields[1], Long.parseLong(fields[2]));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
