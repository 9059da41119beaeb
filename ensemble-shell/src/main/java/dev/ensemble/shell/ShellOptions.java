package dev.ensemble.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The shell's command-line flags, checked before anything is attached (a bad flag is exit status
 * 2). Exactly one target: {@code --pid}, {@code --socket}, or {@code --server} with {@code --room}
 * and {@code --node}.
 *
 * @param pid the process to attach to on this machine, or null
 * @param socket the inspection socket to attach to, or null
 * @param remote the remote node to attach to, or null
 * @param commands the {@code -c} script, or null for the interactive prompt
 * @param format how results are printed
 * @param help {@code --help}: print the usage and exit 0
 */
record ShellOptions(Long pid, Path socket, RemoteTarget remote, String commands, Format format, boolean help) {

    /** How results are printed. */
    enum Format {
        /** Tables and trees for people. */
        TEXT,
        /** Each result, event and error as one JSON object per line (docs/SHELL.md, "Commands"). */
        JSON
    }

    /** How long a remote attach waits for the node and its session unless {@code --timeout} says. */
    static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(15);

    /**
     * A node elsewhere, reached through ensemble-remote.
     *
     * @param server the signaling server, {@code ws://HOST:PORT} or {@code wss://HOST:PORT}
     * @param room the room the node is in
     * @param node the node's {@code did:key}
     * @param identity the shell's identity file ({@code --identity}), or null for a fresh identity
     *     per run
     * @param timeout how long to wait for the node to be connected and to open the session
     */
    record RemoteTarget(String server, String room, String node, Path identity, Duration timeout) {}

    static final String USAGE = """
            usage: ensemble-shell (--pid PID | --socket PATH | --server ws://HOST:PORT --room ROOM --node DID
                                  [--identity FILE] [--timeout SECS]) [-c 'CMD; CMD'] [--format text|json]
              --pid PID        attach to the inspected system of a process on this machine
              --socket PATH    attach through this inspection socket
              --server URL     attach to a node elsewhere through ensemble-remote (with --room and --node)
              --identity FILE  the shell's did:key for a remote attach (created if missing); without it
                               a fresh one per run, printed on stderr so that the node can grant it
              --timeout SECS   how long a remote attach waits for the node, in seconds (default 15)
              -c 'CMD; CMD'    run the commands in order and exit, instead of the interactive prompt
              --format FORMAT  text (default) or json: one JSON object per result, event or error
            exit status: 0 success, 1 a command failed, 2 bad flags, 3 attach failed or the connection was lost
            commands: type help at the prompt, or see docs/SHELL.md""";

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException naming the flag that is wrong
     */
    static ShellOptions parse(String[] args) throws UsageException {
        Long pid = null;
        Path socket = null;
        String server = null;
        String room = null;
        String node = null;
        Path identity = null;
        Duration timeout = null;
        String commands = null;
        Format format = Format.TEXT;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "-h", "--help" -> help = true;
                case "--pid" -> {
                    String value = value(args, i++);
                    try {
                        pid = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        pid = -1L;
                    }
                    if (pid <= 0) {
                        throw new UsageException(
                                "--pid must be a process id (a positive integer), not \"" + value + "\"");
                    }
                }
                case "--socket" -> socket = Path.of(value(args, i++));
                case "--server" -> {
                    server = value(args, i++);
                    String lower = server.toLowerCase(Locale.ROOT);
                    if (!(lower.startsWith("ws://") || lower.startsWith("wss://")) || server.indexOf(':', 6) < 0) {
                        throw new UsageException(
                                "--server must be ws://HOST:PORT or wss://HOST:PORT, not \"" + server + "\"");
                    }
                }
                case "--room" -> room = value(args, i++);
                case "--node" -> {
                    node = value(args, i++);
                    if (!node.startsWith("did:key:z") || node.length() < 12) {
                        throw new UsageException(
                                "--node must be the node's did:key (did:key:z...), not \"" + node + "\"");
                    }
                }
                case "--identity" -> identity = Path.of(value(args, i++));
                case "--timeout" -> {
                    String value = value(args, i++);
                    long seconds;
                    try {
                        seconds = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        seconds = -1;
                    }
                    if (seconds <= 0 || seconds > 3_600) {
                        throw new UsageException(
                                "--timeout must be a number of seconds from 1 to 3600, not \"" + value + "\"");
                    }
                    timeout = Duration.ofSeconds(seconds);
                }
                case "-c" -> commands = value(args, i++);
                case "--format" -> {
                    String value = value(args, i++);
                    format = switch (value) {
                        case "text" -> Format.TEXT;
                        case "json" -> Format.JSON;
                        default -> throw new UsageException("--format must be text or json, not \"" + value + "\"");
                    };
                }
                default -> throw new UsageException("unknown flag \"" + flag + "\"");
            }
        }
        if (help) {
            return new ShellOptions(null, null, null, commands, format, true);
        }
        RemoteTarget remote = null;
        if (server != null || room != null || node != null) {
            if (server == null || room == null || node == null) {
                throw new UsageException("a remote attach needs all of --server, --room and --node");
            }
            remote = new RemoteTarget(server, room, node, identity, timeout == null ? DEFAULT_REMOTE_TIMEOUT : timeout);
        } else if (identity != null || timeout != null) {
            throw new UsageException("--identity and --timeout are for a remote attach (--server, --room, --node)");
        }
        int targets = (pid != null ? 1 : 0) + (socket != null ? 1 : 0) + (remote != null ? 1 : 0);
        if (targets != 1) {
            throw new UsageException(
                    targets == 0
                            ? "say what to attach to: --pid PID, --socket PATH, or --server URL --room ROOM --node DID"
                            : "attach to one target only: --pid, --socket and --server exclude each other");
        }
        return new ShellOptions(pid, socket, remote, commands, format, false);
    }

    private static String value(String[] args, int flagIndex) throws UsageException {
        if (flagIndex + 1 >= args.length) {
            throw new UsageException(args[flagIndex] + " needs a value");
        }
        return args[flagIndex + 1];
    }
}
