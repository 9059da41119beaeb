package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InteractiveShellTest {
    @Test
    void historyLivesInTheXdgStateDirectory() {
        assertEquals(
                Path.of("/state/ensemble/shell-history"),
                InteractiveShell.historyFile(Map.of("XDG_STATE_HOME", "/state"), "/home/ada"));
    }

    @Test
    void historyFallsBackToTheHomeDirectory() {
        assertEquals(
                Path.of("/home/ada/.local/state/ensemble/shell-history"),
                InteractiveShell.historyFile(Map.of(), "/home/ada"));
        assertEquals(
                Path.of("/home/ada/.local/state/ensemble/shell-history"),
                InteractiveShell.historyFile(Map.of("XDG_STATE_HOME", ""), "/home/ada"));
    }
}
