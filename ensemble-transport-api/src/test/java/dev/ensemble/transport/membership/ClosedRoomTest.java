package dev.ensemble.transport.membership;

import static dev.ensemble.transport.membership.InviteVectorsTest.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of {@link ClosedRoom} beyond the vectors: limits, garbage, persistence, messages. */
class ClosedRoomTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final PeerIdentity owner = seeded(1);
    private final PeerIdentity bob = seeded(2);
    private final PeerIdentity carol = seeded(3);
    private final MutableClock clock = new MutableClock(NOW);

    @TempDir
    Path dir;

    private ClosedRoom room() throws IOException {
        return ClosedRoom.builder("jam", owner.peerId()).clock(clock).build();
    }

    private Invite invite(PeerIdentity issuer, PeerIdentity invitee, boolean mayDelegate) {
        return Invite.issue(issuer, "jam", invitee.peerId(), mayDelegate, NOW, NOW.plus(Duration.ofDays(1)));
    }

    @Test
    void aChainOfFourIsAdmittedAndItsEarliestExpiryBounds() throws Exception {
        PeerIdentity dave = seeded(5);
        PeerIdentity erin = seeded(6);
        InviteChain chain = InviteChain.of(invite(owner, bob, true))
                .delegate(bob, carol.peerId(), true, NOW, NOW.plus(Duration.ofHours(5)))
                .delegate(carol, dave.peerId(), true, NOW, NOW.plus(Duration.ofHours(9)))
                .delegate(dave, erin.peerId(), false, NOW, NOW.plus(Duration.ofHours(7)));
        assertEquals(
                NOW.plus(Duration.ofHours(5)),
                room().admit(erin.peerId(), chain).expiresAt());
        assertThrows(
                IllegalArgumentException.class,
                () -> chain.delegate(erin, bob.peerId(), false, NOW, NOW.plusSeconds(9)));
    }

    @Test
    void aBearerHolderMayDelegateWithItsHolderKeyWhenTheBearerInviteAllows() throws Exception {
        HeldInvite bearer = HeldInvite.issueBearer(owner, "jam", true, NOW, NOW.plus(Duration.ofDays(1)));
        InviteChain chain = bearer.delegate(bob, carol.peerId(), false, NOW, NOW.plusSeconds(600));
        room().admit(carol.peerId(), chain);
        // Signed by whoever merely saw the bearer invite (bob's own key, not the holder key): a broken chain.
        InviteChain bySomeone = bearer.chain().delegate(bob, carol.peerId(), false, NOW, NOW.plusSeconds(600));
        InviteException e = assertThrows(InviteException.class, () -> room().admit(carol.peerId(), bySomeone));
        assertEquals(Problem.BROKEN_CHAIN, e.problem());
        assertTrue(e.getMessage().contains("a bearer invite whose holder key is"), e.getMessage());
    }

    @Test
    void anInviteFileNeedsItsKeyAndTheRightOne() throws Exception {
        HeldInvite bearer = HeldInvite.issueBearer(owner, "jam", false, NOW, NOW.plus(Duration.ofDays(1)));
        String chainOnly = bearer.chain().toText();
        InviteException noKey = assertThrows(InviteException.class, () -> HeldInvite.parse(chainOnly));
        assertTrue(noKey.getMessage().contains("but not its key"), noKey.getMessage());
        String otherKey = HeldInvite.issueBearer(owner, "jam", false, NOW, NOW.plusSeconds(60))
                .toText()
                .lines()
                .toList()
                .get(1);
        InviteException wrongKey =
                assertThrows(InviteException.class, () -> HeldInvite.parse(chainOnly + "\n" + otherKey));
        assertTrue(wrongKey.getMessage().contains("not the bearer invite's holder key"), wrongKey.getMessage());
        InviteException admitWithout =
                assertThrows(InviteException.class, () -> room().admit(bob.peerId(), bearer.chain()));
        assertEquals(Problem.NO_PROOF, admitWithout.problem());
        // A named invite needs no key, and a file of one is the chain's line alone.
        HeldInvite named =
                HeldInvite.parse(InviteChain.of(invite(owner, bob, false)).toText());
        assertFalse(named.bearer());
        assertThrows(
                IllegalArgumentException.class,
                () -> Invite.issue(owner, "jam", null, false, NOW, NOW.plusSeconds(60)),
                "a bearer invite is made with its key");
    }

    @Test
    void theMessageNamesTheRuleAndThePeer() throws Exception {
        InviteException e = assertThrows(
                InviteException.class, () -> room().admit(carol.peerId(), InviteChain.of(invite(owner, bob, false))));
        assertEquals(Problem.NOT_THE_INVITEE, e.problem());
        assertEquals(
                "the invite chain was given to " + bob.peerId() + ", not to " + carol.peerId() + " who presented it",
                e.getMessage());
    }

    @Test
    void garbageIsRefusedAsMalformedOrTooLargeAndNothingElse() {
        Random random = new Random(17);
        byte[] genuine = InviteChain.of(invite(owner, bob, true)).encode();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
            } else {
                bytes = genuine.clone();
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                InviteChain chain = InviteChain.decode(bytes);
                room().admit(bob.peerId(), chain);
            } catch (InviteException e) {
                assertFalse(e.getMessage().isBlank());
            } catch (Exception e) {
                throw new AssertionError("garbage " + i + " threw " + e, e);
            }
            try {
                Revocation.decode(bytes);
            } catch (InviteException e) {
                assertTrue(e.problem() == Problem.MALFORMED || e.problem() == Problem.TOO_LARGE, e.toString());
            }
        }
    }

    @Test
    void theTextFormRefusesWhatIsNotAnInvite() {
        assertEquals(
                Problem.MALFORMED,
                assertThrows(InviteException.class, () -> InviteChain.parse("hello"))
                        .problem());
        assertEquals(
                Problem.MALFORMED,
                assertThrows(InviteException.class, () -> InviteChain.parse("ensemble-invite:***"))
                        .problem());
        assertEquals(
                Problem.TOO_LARGE,
                assertThrows(InviteException.class, () -> InviteChain.parse("ensemble-invite:" + "A".repeat(10_000)))
                        .problem());
        assertEquals(
                Problem.TOO_LARGE,
                assertThrows(InviteException.class, () -> InviteChain.decode(new byte[InviteChain.MAX_BYTES + 1]))
                        .problem());
        // Revocations share the text form's rules.
        InviteException notARevocation = assertThrows(
                InviteException.class,
                () -> Revocation.parse(InviteChain.empty().toText()));
        assertEquals("a revocation must start with 'ensemble-revocation:'", notARevocation.getMessage());
        assertEquals(
                Problem.MALFORMED,
                assertThrows(InviteException.class, () -> Revocation.parse("ensemble-revocation:***"))
                        .problem());
        assertEquals(
                Problem.TOO_LARGE,
                assertThrows(InviteException.class, () -> Revocation.parse("ensemble-revocation:" + "A".repeat(700)))
                        .problem());
    }

    @Test
    void aRevocationFileLargerThanTheRoomsLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("jam.revocations");
        for (PeerIdentity member : List.of(bob, carol, seeded(4))) {
            Files.writeString(
                    file,
                    Revocation.ofMember(owner, "jam", member.peerId(), NOW).toText() + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        IOException tooMany = assertThrows(
                IOException.class,
                () -> ClosedRoom.builder("jam", owner.peerId())
                        .clock(clock)
                        .maxRevocations(2)
                        .revocationFile(file)
                        .build());
        assertTrue(tooMany.getMessage().contains("line 3: more than 2 revocations"), tooMany.getMessage());

        Path huge = dir.resolve("huge.revocations");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(3L << 30); // no disk used, but past what one read can hold
        }
        IOException tooLarge = assertThrows(
                IOException.class,
                () -> ClosedRoom.builder("jam", owner.peerId())
                        .revocationFile(huge)
                        .build());
        assertTrue(tooLarge.getMessage().contains("has 3221225472 bytes"), tooLarge.getMessage());
    }

    @Test
    void revocationsSurviveARestartThroughTheirFile() throws Exception {
        Path file = dir.resolve("jam.revocations");
        ClosedRoom first = ClosedRoom.builder("jam", owner.peerId())
                .clock(clock)
                .revocationFile(file)
                .build();
        Invite bobs = invite(owner, bob, false);
        assertTrue(first.revoke(Revocation.ofInvite(owner, "jam", bobs, NOW)));
        assertTrue(first.revoke(Revocation.ofMember(owner, "jam", carol.peerId(), NOW)));

        ClosedRoom second = ClosedRoom.builder("jam", owner.peerId())
                .clock(clock)
                .revocationFile(file)
                .build();
        assertEquals(2, second.revocations().size());
        assertTrue(second.isRevoked(carol.peerId()));
        assertEquals(
                Problem.REVOKED,
                assertThrows(InviteException.class, () -> second.admit(bob.peerId(), InviteChain.of(bobs)))
                        .problem());
        assertFalse(second.revoke(first.revocations().get(0)), "a replay is not new");

        Files.writeString(file, "ensemble-revocation:AAAA\n", java.nio.file.StandardOpenOption.APPEND);
        IOException e = assertThrows(
                IOException.class,
                () -> ClosedRoom.builder("jam", owner.peerId())
                        .revocationFile(file)
                        .build());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void anInviteFileIsWrittenForItsOwnerOnlyReplacingAReadableOne() throws Exception {
        HeldInvite invite = HeldInvite.issueBearer(owner, "jam", false, NOW, NOW.plus(Duration.ofDays(1)));
        Path file = dir.resolve("jam.invite");
        Files.writeString(file, "an old invite, readable by all\n");
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        if (posix) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        invite.writeTo(file);
        assertEquals(invite, HeldInvite.parse(Files.readString(file)));
        if (posix) {
            assertEquals(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(file));
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary copy of the key is left behind");
        }
        // Into a directory that does not exist: an IOException, and nothing written anywhere.
        assertThrows(
                IOException.class, () -> invite.writeTo(dir.resolve("missing").resolve("jam.invite")));
    }

    @Test
    void aRevocationFileCannotRevokeTheOwnerEither() throws Exception {
        // Signed by the owner (as a tool of before OWNER_NOT_REVOCABLE could make it), appended by an operator.
        Revocation ofOwner = Revocation.decode(
                java.util.HexFormat.of().parseHex(InviteVectorsTest.values().get("revocation-owner")));
        Path file = dir.resolve("jam.revocations");
        Files.writeString(
                file, Revocation.ofMember(owner, "jam", carol.peerId(), NOW).toText() + "\n" + ofOwner.toText() + "\n");
        IOException e = assertThrows(
                IOException.class,
                () -> ClosedRoom.builder("jam", owner.peerId())
                        .clock(clock)
                        .revocationFile(file)
                        .build());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("the room's owner, who cannot be revoked"), e.getMessage());
    }

    @Test
    void aRevokedMembersDelegationsAreVoidToo() throws Exception {
        ClosedRoom room = room();
        InviteChain carols = InviteChain.of(invite(owner, bob, true))
                .delegate(bob, carol.peerId(), false, NOW, NOW.plusSeconds(600));
        room.admit(carol.peerId(), carols);
        room.revoke(Revocation.ofMember(owner, "jam", bob.peerId(), NOW));
        InviteException e = assertThrows(InviteException.class, () -> room.admit(carol.peerId(), carols));
        assertEquals(Problem.REVOKED, e.problem());
        assertTrue(e.getMessage().contains(bob.peerId().toString()), e.getMessage());
    }

    @Test
    void aRoomKeepsAtMostItsLimitOfRevocations() throws Exception {
        ClosedRoom room = ClosedRoom.builder("jam", owner.peerId())
                .clock(clock)
                .maxRevocations(3)
                .build();
        for (int i = 0; i < 3; i++) {
            assertTrue(room.revoke(Revocation.ofMember(owner, "jam", seeded(7).peerId(), NOW.minusSeconds(i))));
        }
        assertEquals(
                Problem.TOO_LARGE,
                assertThrows(
                                InviteException.class,
                                () -> room.revoke(Revocation.ofMember(owner, "jam", bob.peerId(), NOW)))
                        .problem());
    }
}
