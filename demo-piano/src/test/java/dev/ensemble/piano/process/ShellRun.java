package dev.ensemble.piano.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of the real ensemble-shell ({@code dev.ensemble.shell.Main}, from the test class path) in
 * a JVM of its own: a script ({@code -c}) with {@code --format json}, its exit status and its
 * standard output parsed line by line.
 */
public final class ShellRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChildProcess child;

    private ShellRun(ChildProcess child) {
        this.child = child;
    }

    /**
     * Starts the shell.
     *
     * @param dir where its console files go
     * @param name the files' prefix
     * @param environment the environment (the piano's XDG_RUNTIME_DIR, so that both find the socket)
     * @param args the shell's flags
     */
    public static ShellRun start(Path dir, String name, Map<String, String> environment, String... args)
            throws IOException {
        JavaCommand command = JavaCommand.of(dev.ensemble.shell.Main.class)
                .jvmOptions("-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(args);
        return new ShellRun(
                ChildProcess.builder(command).environment(environment).start(dir, name));
    }

    /**
     * Runs {@code script} in a shell attached to the piano of {@code pid} ({@code --pid PID -c SCRIPT --format
     * json}), waits for it to end and checks its exit status.
     *
     * @return its standard output, a JSON value per line
     */
    public static List<JsonNode> script(
            Path dir, String name, Map<String, String> environment, long pid, int expectedExit, String script)
            throws IOException, InterruptedException {
        try (ShellRun run =
                start(dir, name, environment, "--pid", String.valueOf(pid), "-c", script, "--format", "json")) {
            int exit = run.awaitExit();
            if (exit != expectedExit) {
                throw new AssertionError(
                        "the shell exited with " + exit + ", not " + expectedExit + ":\n" + run.describe());
            }
            return run.json();
        }
    }

    /** @return the exit status, once the shell ended */
    public int awaitExit() throws InterruptedException {
        return child.awaitExit();
    }

    /** @return each line of standard output as JSON (fails on a line that is not) */
    public List<JsonNode> json() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : child.stdout()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("the shell printed a line that is not JSON: " + line + "\n" + describe(), e);
            }
        }
        return lines;
    }

    /** @return its command line, output and exit, for failure messages */
    public String describe() {
        return child.describe();
    }

    @Override
    public void close() {
        child.close();
    }
}
