package dev.ensemble.core.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the local inspection sockets live, so that a process and a shell attaching to it by
 * {@code --pid} agree without configuration.
 *
 * <p>The directory is {@code $XDG_RUNTIME_DIR/ensemble} when that variable names a directory (a
 * per-user directory the system cleans at logout), else {@code ensemble-USER} under
 * {@code java.io.tmpdir}. It is created readable only by its owner; an existing directory that
 * others may read or write, or that another user owns, is refused: anyone who can create a socket
 * there could pose as the process to a shell. Each inspected system of a process has one socket,
 * {@code PID-SYSTEM.sock}, readable and writable only by its owner.
 *
 * <p>Thread-safe; stateless.
 */
public final class InspectionSockets {
    /**
     * Longest socket path, in bytes: {@code sun_path} holds 108 on Linux and 104 on macOS,
     * terminator included.
     */
    public static final int MAX_PATH_BYTES = 103;

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private InspectionSockets() {}

    /**
     * @return the directory of this user's inspection sockets (not created)
     */
    public static Path directory() {
        return directory(System.getenv(), System.getProperty("java.io.tmpdir"), System.getProperty("user.name"));
    }

    static Path directory(Map<String, String> environment, String tmpdir, String user) {
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "ensemble");
        }
        return Path.of(tmpdir, "ensemble-" + safeName(user));
    }

    /**
     * Creates {@link #directory()} readable only by its owner, or checks that the existing one is.
     *
     * @return the directory
     * @throws IOException if it cannot be created, or exists with permissions or an owner that would
     *     let another user put a socket in it
     */
    public static Path createDirectory() throws IOException {
        return createDirectory(directory());
    }

    static Path createDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another system of this user created it first; checked below like any existing one
            }
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("inspection socket directory " + directory + " exists and is not a directory");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (!permissions.equals(OWNER_ONLY_DIRECTORY)) {
            throw new IOException("inspection socket directory " + directory + " has permissions "
                    + PosixFilePermissions.toString(permissions) + "; it must be rwx------ (chmod 700 it)");
        }
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        String user = System.getProperty("user.name");
        if (!owner.equals(user)) {
            throw new IOException(
                    "inspection socket directory " + directory + " belongs to " + owner + ", not to " + user);
        }
        return directory;
    }

    /**
     * @param pid the process
     * @param system the inspected system's name
     * @return the socket of that system in {@link #directory()}
     * @throws IllegalArgumentException if the path is too long for a Unix-domain socket
     */
    public static Path socketFor(long pid, String system) {
        return socketFor(directory(), pid, system);
    }

    static Path socketFor(Path directory, long pid, String system) {
        Objects.requireNonNull(system, "system");
        Path socket = directory.resolve(pid + "-" + safeName(system) + ".sock");
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("inspection socket path " + socket + " is " + length
                    + " bytes; Unix-domain sockets allow at most " + MAX_PATH_BYTES
                    + " (set XDG_RUNTIME_DIR or java.io.tmpdir to a shorter directory)");
        }
        return socket;
    }

    /**
     * @param pid a process
     * @return the sockets that process's inspected systems opened, sorted by path; empty if none
     * @throws IOException if the directory cannot be read
     */
    public static List<Path> socketsOf(long pid) throws IOException {
        return socketsOf(directory(), pid);
    }

    static List<Path> socketsOf(Path directory, long pid) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> sockets = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, pid + "-*.sock")) {
            entries.forEach(sockets::add);
        }
        Collections.sort(sockets);
        return sockets;
    }

    /** Keeps names of systems and users to characters safe in a file name. */
    static String safeName(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            safe.append(allowed ? c : '_');
        }
        return safe.length() == 0 ? "_" : safe.toString();
    }
}
