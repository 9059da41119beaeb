package dev.ensemble.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    private ChildProcess script(String name, String... steps) throws Exception {
        return ChildProcess.builder(JavaCommand.of(ScriptedMain.class).args(steps))
                .environment("TESTKIT_GREETING", "hello from the parent")
                .start(dir, name);
    }

    @Test
    void collectsEachStreamAsLinesAndInItsFileAndReturnsTheExitCode() throws Exception {
        try (ChildProcess child = script("lines", "out:one", "err:oops", "out:two", "env:TESTKIT_GREETING", "exit:3")) {
            assertEquals(3, child.awaitExit());

            assertEquals(List.of("one", "two", "TESTKIT_GREETING=hello from the parent"), child.stdout());
            assertEquals(List.of("oops"), child.stderr());
            assertEquals(
                    List.of("one", "two", "TESTKIT_GREETING=hello from the parent"),
                    Files.readAllLines(dir.resolve("lines.out")));
            assertEquals("oops\n", Files.readString(dir.resolve("lines.err")));
        }
    }

    @Test
    void aLineStillBeingWrittenIsInTheTextButNotYetALine() throws Exception {
        try (ChildProcess child = script("partial", "out:done", "partial:half a line", "block")) {
            child.awaitLine("its first line", "done"::equals);
            String[] text = new String[1];
            dev.ensemble.testkit.Await.until(
                    "the unfinished line", () -> (text[0] = child.stdoutText()).endsWith("half a line"));

            assertEquals("done\nhalf a line", text[0]);
            assertEquals(List.of("done"), child.stdout());
        }
    }

    @Test
    void awaitsALineWhileTheProcessRunsAndWritesToItsInput() throws Exception {
        try (ChildProcess child = script("echo", "out:ready", "echo", "exit:0")) {
            assertEquals("ready", child.awaitLine("that it is ready", line -> line.startsWith("ready")));
            child.writeLine("first");
            child.writeLine("second");

            assertEquals("echo second", child.awaitLine("the second echo", line -> line.endsWith("second")));
            child.assertAlive();
            child.writeLine("exit");
            assertEquals(0, child.awaitExit());
            assertEquals(List.of("ready", "echo first", "echo second"), child.stdout());
        }
    }

    @Test
    void awaitingALineAProcessEndedWithoutPrintingFailsAtOnceWithItsOutput() throws Exception {
        try (ChildProcess child = script("quitter", "out:something else", "err:the reason", "exit:1")) {
            long start = System.nanoTime();
            AssertionError error =
                    assertThrows(AssertionError.class, () -> child.awaitLine("the moon", line -> line.equals("moon")));

            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0);
            assertTrue(
                    error.getMessage().startsWith("quitter ended with exit code 1 before it printed the moon\n"),
                    error.getMessage());
            assertTrue(error.getMessage().contains("\nsomething else\n"), error.getMessage());
            assertTrue(error.getMessage().contains("\nthe reason\n"), error.getMessage());
        }
    }

    @Test
    void awaitingALineThatDoesNotComeFailsAfterTheDeadlineNamingTheProcessAndTheLine() throws Exception {
        try (ChildProcess child = script("silent", "out:hello", "block")) {
            AssertionError error = assertThrows(
                    AssertionError.class,
                    () -> child.awaitLine("the moon", Duration.ofMillis(300), line -> line.equals("moon")));

            assertTrue(error.getMessage().startsWith("timed out after "), error.getMessage());
            assertTrue(error.getMessage().contains("waiting for: silent prints the moon; state: --- silent (pid "));
            assertTrue(
                    error.getMessage().contains(", running): java ... ScriptedMain out:hello block\n"),
                    error.getMessage());
        }
    }

    @Test
    void terminateSendsSigtermSoThatShutdownHooksRun() throws Exception {
        try (ChildProcess child = script("terminated", "hook", "out:running", "block")) {
            child.awaitLine("that it runs", "running"::equals);

            assertEquals(143, child.terminate(), "128 + SIGTERM's 15");
            assertEquals(List.of("running", "shutting down"), child.stdout());
            assertFalse(child.isAlive());
        }
    }

    @Test
    void killSendsSigkillSoThatNothingMoreRuns() throws Exception {
        try (ChildProcess child = script("killed", "hook", "out:running", "block")) {
            child.awaitLine("that it runs", "running"::equals);

            assertEquals(137, child.kill(), "128 + SIGKILL's 9");
            assertEquals(List.of("running"), child.stdout());
            AssertionError ended = assertThrows(AssertionError.class, child::assertAlive);
            assertTrue(ended.getMessage().startsWith("killed ended early with exit code 137\n"), ended.getMessage());
        }
    }

    @Test
    void closeKillsAProcessThatStillRuns() throws Exception {
        ChildProcess child = script("left-running", "out:running", "block");
        child.awaitLine("that it runs", "running"::equals);

        child.close();

        assertFalse(child.isAlive());
        child.close();
    }

    @Test
    void runsAnyProgramNotOnlyJava() throws Exception {
        try (ChildProcess child = ChildProcess.builder(List.of("sh", "-c", "echo \"$0 and $KIT\"; exit 4", "shell"))
                .environment("KIT", "environment")
                .start(dir, "sh")) {
            assertEquals(4, child.awaitExit());
            assertEquals(List.of("shell and environment"), child.stdout());
        }
    }

    @Test
    void findsProgramsOnThePathAndNotOthers() {
        assertTrue(ChildProcess.findOnPath("sh").isPresent());
        assertTrue(ChildProcess.findOnPath("no-such-program-anywhere").isEmpty());
    }

    @Test
    void aNameUsedInTheDirectoryIsRefused() throws Exception {
        try (ChildProcess first = script("twin", "exit:0")) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> script("twin", "exit:0"));
            assertEquals(
                    "a process named \"twin\" already wrote to " + dir.resolve("twin.out")
                            + ": give each process of a directory its own name",
                    error.getMessage());
            assertEquals(0, first.awaitExit());
        }
    }

    @Test
    void aProcessThatDoesNotEndInTimeFailsWithItsOutput() throws Exception {
        try (ChildProcess child = script("stubborn", "out:still here", "block")) {
            child.awaitLine("that it runs", "still here"::equals);
            AssertionError error = assertThrows(AssertionError.class, () -> child.awaitExit(Duration.ofMillis(100)));

            assertTrue(error.getMessage().startsWith("stubborn did not end within 100 ms\n"), error.getMessage());
            assertTrue(error.getMessage().contains("\nstill here\n"), error.getMessage());
        }
    }
}
