package dev.ensemble.shell;

/**
 * Chooses the {@link Attacher} for the shell's flags: the local socket by {@code --pid} or {@code
 * --socket}, or a node elsewhere by {@code --server --room --node}.
 */
final class Attachers {
    private Attachers() {}

    /**
     * @param options checked flags with exactly one target
     * @return the attacher for that target
     * @throws AttachException if the target cannot be found (no socket for the pid, several, or the
     *     remote attach missing from this build)
     */
    static Attacher forOptions(ShellOptions options) throws AttachException {
        if (options.pid() != null) {
            return LocalSocketAttacher.forPid(options.pid());
        }
        if (options.socket() != null) {
            return LocalSocketAttacher.forSocket(options.socket());
        }
        return remote(options.remote());
    }

    /**
     * THE place where the remote attach plugs in: an {@link Attacher} that reaches the node {@code
     * target.node()} in room {@code target.room()} of the signaling server {@code target.server()}
     * through ensemble-remote (authenticated by did:key), and gives its inspection session and a
     * sink of its lines, exactly as the local socket does. Until ensemble-remote's client side is
     * wired here, the shell refuses with exit status 3.
     *
     * @param target the checked {@code --server}, {@code --room} and {@code --node}
     * @return the attacher
     * @throws AttachException always, for now
     */
    static Attacher remote(ShellOptions.RemoteTarget target) throws AttachException {
        throw new AttachException("remote attach is not available in this build (asked for node " + target.node()
                + " in room " + target.room() + " at " + target.server() + ")");
    }
}
