package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShellOptionsTest {
    private static final String DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    @Test
    void parsesALocalScriptInJson() throws UsageException {
        ShellOptions options = ShellOptions.parse(new String[] {"--pid", "4242", "-c", "ls; pwd", "--format", "json"});
        assertEquals(4242L, options.pid());
        assertNull(options.socket());
        assertEquals("ls; pwd", options.commands());
        assertEquals(ShellOptions.Format.JSON, options.format());
    }

    @Test
    void parsesASocketForThePrompt() throws UsageException {
        ShellOptions options = ShellOptions.parse(new String[] {"--socket", "/run/x.sock"});
        assertEquals(Path.of("/run/x.sock"), options.socket());
        assertNull(options.commands());
        assertEquals(ShellOptions.Format.TEXT, options.format());
    }

    @Test
    void parsesARemoteTarget() throws UsageException {
        ShellOptions options =
                ShellOptions.parse(new String[] {"--server", "ws://127.0.0.1:8080", "--room", "r", "--node", DID});
        assertEquals(
                new ShellOptions.RemoteTarget(
                        "ws://127.0.0.1:8080", "r", DID, null, ShellOptions.DEFAULT_REMOTE_TIMEOUT),
                options.remote());
    }

    @Test
    void parsesARemoteTargetWithIdentityAndTimeout() throws UsageException {
        ShellOptions options = ShellOptions.parse(new String[] {
            "--server", "ws://h:1", "--room", "r", "--node", DID, "--identity", "/k/shell.key", "--timeout", "3"
        });
        assertEquals(
                new ShellOptions.RemoteTarget("ws://h:1", "r", DID, Path.of("/k/shell.key"), Duration.ofSeconds(3)),
                options.remote());
    }

    @Test
    void helpNeedsNoTarget() throws UsageException {
        assertTrue(ShellOptions.parse(new String[] {"--help"}).help());
    }

    @Test
    void refusesBadFlagsWithTheirName() {
        assertUsage("unknown flag \"--pdi\"", "--pdi", "1");
        assertUsage("--pid must be a process id (a positive integer), not \"abc\"", "--pid", "abc");
        assertUsage("--pid must be a process id (a positive integer), not \"0\"", "--pid", "0");
        assertUsage("--pid needs a value", "--pid");
        assertUsage("--format must be text or json, not \"xml\"", "--pid", "1", "--format", "xml");
        assertUsage(
                "say what to attach to: --pid PID, --socket PATH, or --server URL --room ROOM --node DID", "-c", "ls");
        assertUsage(
                "attach to one target only: --pid, --socket and --server exclude each other",
                "--pid",
                "1",
                "--socket",
                "/x");
        assertUsage("a remote attach needs all of --server, --room and --node", "--server", "ws://h:1", "--room", "r");
        assertUsage("--server must be ws://HOST:PORT or wss://HOST:PORT, not \"http://h:1\"", "--server", "http://h:1");
        assertUsage("--node must be the node's did:key (did:key:z...), not \"bob\"", "--node", "bob");
        assertUsage("--timeout must be a number of seconds from 1 to 3600, not \"0\"", "--timeout", "0");
        assertUsage(
                "--identity and --timeout are for a remote attach (--server, --room, --node)",
                "--pid",
                "1",
                "--identity",
                "/k");
    }

    private static void assertUsage(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> ShellOptions.parse(args));
        assertEquals(message, e.getMessage());
    }
}
