package dev.ensemble.transport.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The closed-room vectors of docs/vectors/invites/vectors.txt, computed independently with Python's
 * cryptography package: the Java code makes the same bytes, and every admit and revoke case there gives
 * the expected answer, in file order (revocations change later answers).
 */
class InviteVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Instant T = Instant.ofEpochSecond(1767225600L);
    private static final long DAY = 86400;

    private final PeerIdentity owner = seeded(1);
    private final PeerIdentity bob = seeded(2);
    private final PeerIdentity carol = seeded(3);
    private final PeerIdentity mallory = seeded(4);
    private final PeerIdentity holder = seeded(5);

    @Test
    void javaMakesTheSameBytesAsThePythonReference() throws Exception {
        Map<String, String> values = values();
        Invite bobInvite = Invite.issue(owner, "jam", bob.peerId(), null, true, T, T.plusSeconds(DAY), fill(0x11, 16));
        Invite carolInvite =
                Invite.issue(bob, "jam", carol.peerId(), null, false, T, T.plusSeconds(DAY / 2), fill(0x22, 16));
        HeldInvite held =
                HeldInvite.issueBearer(owner, "jam", false, T, T.plusSeconds(DAY), fill(5, 32), fill(0x33, 16));
        Invite bearer = held.chain().invites().get(0);
        assertEquals(values.get("holder-key"), HEX.formatHex(holder.peerId().publicKey()));
        assertEquals(values.get("invite-bearer-id"), bearer.idHex());
        // The invite file's text: the chain's line and the key's line.
        assertEquals(values.get("chain-bearer-text") + "\n" + values.get("holder-key-line") + "\n", held.toText());
        assertEquals(held, HeldInvite.parse(held.toText()));
        // Proofs: Ed25519 is deterministic, so the Java proofs are the Python bytes.
        PossessionProof toOwner = PossessionProof.toPeer(owner.peerId(), HEX.parseHex(values.get("peer-nonce")));
        assertEquals(values.get("proof-mallory-to-owner"), HEX.formatHex(held.prove(toOwner, mallory.peerId())));
        assertEquals(values.get("token-mallory"), held.joinToken(mallory.peerId(), values.get("server-nonce")));
        Invite delegable =
                Invite.issue(owner, "jam", null, holder.peerId(), true, T, T.plusSeconds(DAY), fill(0x88, 16));
        Invite carolByHolder =
                Invite.issue(holder, "jam", carol.peerId(), null, false, T, T.plusSeconds(DAY), fill(0x99, 16));
        assertEquals(
                values.get("chain-bearer-delegated"),
                HEX.formatHex(InviteChain.of(delegable, carolByHolder).encode()));
        assertEquals(values.get("owner-key"), HEX.formatHex(owner.peerId().publicKey()));
        assertEquals(values.get("invite-bob"), HEX.formatHex(bobInvite.encode()));
        assertEquals(values.get("invite-bob-id"), bobInvite.idHex());
        assertEquals(values.get("invite-carol-by-bob"), HEX.formatHex(carolInvite.encode()));
        assertEquals(values.get("invite-bearer"), HEX.formatHex(bearer.encode()));
        assertEquals(
                values.get("chain-bob"), HEX.formatHex(InviteChain.of(bobInvite).encode()));
        assertEquals(
                values.get("chain-carol"),
                HEX.formatHex(InviteChain.of(bobInvite, carolInvite).encode()));
        assertEquals(values.get("chain-bearer-text"), InviteChain.of(bearer).toText());
        assertEquals(
                values.get("chain-empty"), HEX.formatHex(InviteChain.empty().encode()));
        assertEquals(
                values.get("revocation-carol"),
                HEX.formatHex(Revocation.ofMember(owner, "jam", carol.peerId(), T.plusSeconds(3600))
                        .encode()));
        assertEquals(
                values.get("revocation-invite-bob"),
                HEX.formatHex(Revocation.ofInvite(owner, "jam", bobInvite, T.plusSeconds(3600))
                        .encode()));
        // Decoding gives back the very bytes: the encoding is canonical.
        InviteException legacy = org.junit.jupiter.api.Assertions.assertThrows(
                InviteException.class, () -> Invite.decode(HEX.parseHex(values.get("invite-legacy-bearer"))));
        assertEquals(InviteException.Problem.UNBOUND_BEARER, legacy.problem());
        assertTrue(legacy.getMessage().contains("ask the room's owner for a new invite"), legacy.getMessage());
        for (String name : List.of("invite-bob", "invite-carol-by-bob", "invite-bearer")) {
            byte[] bytes = HEX.parseHex(values.get(name));
            assertTrue(Arrays.equals(bytes, Invite.decode(bytes).encode()), name);
            assertTrue(Invite.decode(bytes).signatureValid(), name);
        }
        assertEquals(
                InviteChain.of(bobInvite, carolInvite),
                InviteChain.parse(InviteChain.of(bobInvite, carolInvite).toText()));
    }

    @Test
    void everyCaseGivesTheExpectedAnswer() throws Exception {
        Map<String, String> values = values();
        Map<String, PeerId> peers = Map.of(
                "owner", owner.peerId(), "bob", bob.peerId(), "carol", carol.peerId(), "mallory", mallory.peerId());
        MutableClock clock = new MutableClock(T);
        ClosedRoom room = ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
        int cases = 0;
        for (String line : Files.readAllLines(directory().resolve("vectors.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("admit")) {
                clock.set(T.plusSeconds(Long.parseLong(f[3])));
                String answer;
                try {
                    room.admit(peers.get(f[2]), InviteChain.decode(HEX.parseHex(values.get(f[1]))));
                    answer = "ok";
                } catch (InviteException e) {
                    answer = e.problem().name();
                    assertFalse(e.getMessage().isBlank());
                }
                assertEquals(f[4], answer, line);
                cases++;
            } else if (f[0].equals("admit-peer")) {
                clock.set(T.plusSeconds(Long.parseLong(f[6])));
                String answer;
                try {
                    PossessionProof binding = PossessionProof.toPeer(peers.get(f[3]), HEX.parseHex(values.get(f[4])));
                    room.admit(
                            peers.get(f[2]),
                            InviteChain.decode(HEX.parseHex(values.get(f[1]))),
                            binding,
                            HEX.parseHex(values.get(f[5])));
                    answer = "ok";
                } catch (InviteException e) {
                    answer = e.problem().name();
                }
                assertEquals(f[7], answer, line);
                cases++;
            } else if (f[0].equals("admit-join")) {
                clock.set(T.plusSeconds(Long.parseLong(f[4])));
                String answer;
                try {
                    room.admitJoin(peers.get(f[2]), values.get(f[1]), values.get(f[3]));
                    answer = "ok";
                } catch (InviteException e) {
                    answer = e.problem().name();
                }
                assertEquals(f[5], answer, line);
                cases++;
            } else if (f[0].equals("revoke")) {
                clock.set(T.plusSeconds(Long.parseLong(f[2])));
                String answer;
                try {
                    answer = room.revoke(Revocation.decode(HEX.parseHex(values.get(f[1])))) ? "new" : "known";
                } catch (InviteException e) {
                    answer = e.problem().name();
                }
                assertEquals(f[3], answer, line);
                cases++;
            }
        }
        if (cases < 56) {
            fail("vectors.txt holds only " + cases + " cases; was it truncated?");
        }
    }

    static Map<String, String> values() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directory().resolve("vectors.txt"))) {
            String[] f = line.split(" ");
            if (f[0].equals("value")) {
                values.put(f[1], f[2]);
            }
        }
        return values;
    }

    static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs/vectors/invites");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "docs/vectors/invites not found above " + Path.of("").toAbsolutePath());
    }

    static PeerIdentity seeded(int b) {
        return PeerIdentity.fromSeed(fill(b, 32));
    }

    static byte[] fill(int b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }
}
