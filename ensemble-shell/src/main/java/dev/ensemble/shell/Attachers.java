package dev.ensemble.shell;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;

/**
 * Chooses the {@link Attacher} for the shell's flags: the local socket by {@code --pid} or {@code
 * --socket}, or a node elsewhere by {@code --server --room --node}.
 */
final class Attachers {
    private Attachers() {}

    /**
     * @param options checked flags with exactly one target
     * @param notices where the shell tells its user things that are not results (a remote attach's
     *     fresh did:key)
     * @return the attacher for that target
     * @throws AttachException if the target cannot be found (no socket for the pid, several), or the
     *     shell's identity file cannot be read
     */
    static Attacher forOptions(ShellOptions options, PrintStream notices) throws AttachException {
        if (options.pid() != null) {
            return LocalSocketAttacher.forPid(options.pid());
        }
        if (options.socket() != null) {
            return LocalSocketAttacher.forSocket(options.socket());
        }
        return remote(options.remote(), notices);
    }

    /**
     * The remote attach: an {@link Attacher} that reaches the node {@code target.node()} in room
     * {@code target.room()} of the signaling server {@code target.server()} through ensemble-remote,
     * authenticated by the shell's did:key. With {@code --identity FILE} the identity is read from
     * the file (created there if missing); without, a fresh identity is made for this run. Either
     * way a new did:key is printed to {@code notices}, since the node's operator must grant it
     * before the shell can attach.
     *
     * @param target the checked {@code --server}, {@code --room}, {@code --node}, {@code --identity}
     *     and {@code --timeout}
     * @param notices where a new did:key is printed
     * @return the attacher
     * @throws AttachException if the identity file cannot be read or written
     */
    static Attacher remote(ShellOptions.RemoteTarget target, PrintStream notices) throws AttachException {
        PeerId node;
        try {
            node = PeerId.parse(target.node());
        } catch (IllegalArgumentException e) {
            throw new AttachException("--node " + target.node() + " is not a valid did:key: " + e.getMessage(), e);
        }
        PeerIdentity identity;
        if (target.identity() == null) {
            identity = PeerIdentity.generate();
            notices.println("ensemble-shell: this shell's identity is " + identity.peerId()
                    + " (fresh for this run; the node must grant it, or use --identity FILE to keep one)");
        } else {
            boolean fresh = !Files.exists(target.identity());
            try {
                identity = PeerIdentity.loadOrCreate(target.identity());
            } catch (IOException | RuntimeException e) {
                throw new AttachException(
                        "cannot " + (fresh ? "create" : "read") + " the shell's identity file " + target.identity()
                                + ": " + e.getMessage(),
                        e);
            }
            if (fresh) {
                notices.println("ensemble-shell: created the identity " + identity.peerId() + " in " + target.identity()
                        + "; the node must grant it");
            }
        }
        URI server;
        try {
            server = URI.create(target.server());
        } catch (IllegalArgumentException e) {
            throw new AttachException("--server " + target.server() + " is not a valid URL: " + e.getMessage(), e);
        }
        return new RemoteAttacher(server, target.room(), node, identity, target.identity() == null, target.timeout());
    }
}
