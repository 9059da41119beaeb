package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The file that keeps one {@link ClosedRoom}'s revocations across restarts: one text form
 * ({@link Revocation#toText()}) per line, appended as each is accepted and read back when the room is
 * built, so that a revocation lasts the room's life. Used by its room under the room's lock.
 */
final class RevocationFile {

    private static final Logger log = LoggerFactory.getLogger(RevocationFile.class);

    private final Path path;

    RevocationFile(Path path) {
        this.path = path;
    }

    /**
     * Reads every revocation of the file, or none if it does not exist yet.
     *
     * @param maxRevocations the most the room keeps: a file with more, or more bytes than they take, is refused
     *     before it is read whole
     * @throws IOException if it cannot be read, is too large, or a line is not a revocation of {@code room}
     *     signed by {@code owner}, or revokes the owner (the message names the line)
     */
    List<Revocation> load(String room, PeerId owner, int maxRevocations) throws IOException {
        List<Revocation> loaded = new ArrayList<>();
        if (!Files.exists(path)) {
            return loaded;
        }
        // A line is the text form and a line break (two on Windows).
        long maxLine = Revocation.TEXT_PREFIX.length() + (Revocation.MAX_BYTES + 2) / 3 * 4 + 2;
        long size = Files.size(path);
        if (size > maxRevocations * maxLine) {
            throw new IOException("revocation file " + path + " has " + size + " bytes, more than " + maxRevocations
                    + " revocations (the most a room keeps) take; is it a revocation file?");
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (loaded.size() == maxRevocations) {
                throw new IOException("revocation file " + path + ", line " + lineNumber + ": more than "
                        + maxRevocations + " revocations, the most a room keeps");
            }
            try {
                Revocation revocation = Revocation.parse(line);
                if (!revocation.room().equals(room)
                        || !revocation.issuer().equals(owner)
                        || !revocation.signatureValid()) {
                    throw new InviteException(Problem.FORGED, "it is not a revocation of this room by its owner");
                }
                if (revocation.kind() == Revocation.Kind.MEMBER
                        && revocation.member().equals(owner)) {
                    // As ClosedRoom.revoke refuses it: applied, it would void every invite of the room.
                    throw new InviteException(
                            Problem.OWNER_NOT_REVOCABLE,
                            "it revokes the room's owner, who cannot be revoked (every invite of the room is the"
                                    + " owner's, so none would hold); delete the line");
                }
                loaded.add(revocation);
            } catch (InviteException | IllegalArgumentException e) {
                throw new IOException("revocation file " + path + ", line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return loaded;
    }

    /** Appends one revocation (synced); a failure is logged, not thrown: the revocation holds in memory. */
    void append(Revocation revocation) {
        try {
            Files.writeString(
                    path,
                    revocation.toText() + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            // The revocation holds in memory; only its survival across a restart is lost.
            log.error(
                    "room {}: could not append {} to {}; it holds until this process ends",
                    revocation.room(),
                    revocation,
                    path,
                    e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
