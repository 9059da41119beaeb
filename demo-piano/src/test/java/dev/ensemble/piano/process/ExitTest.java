package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.piano.cli.SummaryLine;
import dev.ensemble.testkit.net.NetNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the program ends, seen from the shell: exit status 0 and nothing after its last line. Inside
 * the CI's namespace the bots reach each other over WebRTC, so webrtc-java's natives are loaded and
 * would print two lines of their own as the JVM exits.
 */
class ExitTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aTimedRunWithBotsExitsWithZeroAndEndsOnItsSummaryLine() throws Exception {
        try (PeerProcess run =
                PeerProcess.start(dir, "Solo", Map.of(), "--headless", "--bots", "2", "--seconds", "1")) {
            int exitCode = run.child().awaitExit();

            assertEquals(0, exitCode, run.console());
            List<String> out = run.output();
            assertTrue(
                    out.get(out.size() - 1).startsWith(SummaryLine.PREFIX),
                    "the SUMMARY line is the last one (WebRTC loaded: " + NetNamespace.inside() + ")\n"
                            + run.console());
        }
    }
}
