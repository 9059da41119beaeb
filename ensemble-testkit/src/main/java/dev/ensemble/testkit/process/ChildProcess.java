package dev.ensemble.testkit.process;

import dev.ensemble.testkit.Await;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test starts — a JVM running a main class of the test class path ({@link
 * JavaCommand}) or any program (a TURN server, a virtual display) — with its standard output and
 * error going to files {@code NAME.out} and {@code NAME.err} in a directory of the test. The test
 * reads them as lines while the process runs, waits for a line with a deadline, ends the process
 * with SIGTERM or SIGKILL and gets its exit code; {@code close()} kills whatever is still running.
 *
 * <pre>{@code
 * try (ChildProcess server = ChildProcess.builder(JavaCommand.of(Main.class).args("--port", "0"))
 *         .environment("ENSEMBLE_SIGNALING_MAX_PEERS_PER_ROOM", "1")
 *         .start(dir, "server")) {
 *     String line = server.awaitLine("the address it listens on", l -> l.contains("listening on"));
 *     ...
 *     assertEquals(143, server.terminate(), server.describe());   // SIGTERM: 128 + 15
 * }
 * }</pre>
 *
 * <h2>Output</h2>
 *
 * Files rather than pipes: a child never blocks on a full pipe nobody reads, nothing it wrote is
 * lost when it is killed (a pipe's unread end is closed with the process), and after a failed
 * test its whole output stays in the test directory ({@link #describe()} names the files and
 * shows their last lines). {@link #stdout()} and {@link #stderr()} are the complete lines so
 * far; a line still being written appears once its {@code '\n'} is. {@link #stdoutText()} and
 * {@link #stderrText()} are everything, for assertions on exact output.
 *
 * <h2>Ending</h2>
 *
 * {@link #terminate()} sends SIGTERM (as Ctrl-C or a closing terminal would: a JVM runs its
 * shutdown hooks) and {@link #kill()} SIGKILL; both wait for the end and return the exit code,
 * as {@link #awaitExit()} does for a process that ends by itself. A process that does not end in
 * time fails the test with its output. {@link #close()}, for {@code finally} and {@code
 * AfterEach}, kills without failing.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: output may be read and awaited from any thread, for example while the test thread
 * waits on another condition.
 */
public final class ChildProcess implements AutoCloseable {

    /** How long {@link #awaitExit()} and {@link #terminate()} wait: a JVM's shutdown on a busy machine. */
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private static final int DESCRIBED_LINES = 40;

    private final String name;
    private final String label;
    private final Process process;
    private final OutputFile out;
    private final OutputFile err;

    private ChildProcess(String name, String label, Process process, OutputFile out, OutputFile err) {
        this.name = name;
        this.label = label;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param command the program and its arguments
     * @return a builder for a process that runs {@code command}
     */
    public static Builder builder(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the command is empty: give at least the program to run");
        }
        return new Builder(List.copyOf(command), String.join(" ", command));
    }

    /**
     * Finds a program that is not part of the JDK, for tests that skip themselves without it.
     *
     * @param program a file name, e.g. {@code "turnserver"}
     * @return its path in the first directory of {@code PATH} that has it as an executable file
     */
    public static Optional<Path> findOnPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param command a JVM and its main class
     * @return a builder for a process that runs {@code command}
     */
    public static Builder builder(JavaCommand command) {
        // The class path would fill a failure message: name the JVM by its main class instead.
        return new Builder(command.toList(), "java ... " + command);
    }

    /** Says what to start; {@link #start} starts it. Not thread-safe: use it on one thread. */
    public static final class Builder {
        private final List<String> command;
        private final String label;
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder(List<String> command, String label) {
            this.command = command;
            this.label = label;
        }

        /**
         * @param variable an environment variable to set, over the one this JVM has
         * @param value its value
         * @return this builder
         */
        public Builder environment(String variable, String value) {
            environment.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param variables environment variables to set, over the ones this JVM has
         * @return this builder
         */
        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::environment);
            return this;
        }

        /**
         * Starts the process, its output going to {@code NAME.out} and {@code NAME.err} in {@code
         * directory} (created if needed). Standard input is a pipe: see {@link #writeLine}.
         *
         * @param directory the test's directory, e.g. a JUnit {@code @TempDir}
         * @param name names the process in messages and its files, unique in {@code directory}
         * @return the running process
         * @throws IOException if the program cannot be started
         * @throws IllegalArgumentException if {@code directory} already holds output of that name
         */
        public ChildProcess start(Path directory, String name) throws IOException {
            Files.createDirectories(directory);
            Path out = directory.resolve(name + ".out");
            Path err = directory.resolve(name + ".err");
            if (Files.exists(out) || Files.exists(err)) {
                throw new IllegalArgumentException("a process named \"" + name + "\" already wrote to " + out
                        + ": give each process of a directory its own name");
            }
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            return new ChildProcess(name, label, builder.start(), new OutputFile(out), new OutputFile(err));
        }
    }

    /**
     * @return the name it was started with
     */
    public String name() {
        return name;
    }

    /**
     * @return its process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * @return whether it is still running
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * @return the complete lines of its standard output so far
     */
    public List<String> stdout() {
        return out.lines();
    }

    /**
     * @return the complete lines of its standard error so far
     */
    public List<String> stderr() {
        return err.lines();
    }

    /**
     * @return its standard output so far, exactly, a line still being written included
     */
    public String stdoutText() {
        return out.text();
    }

    /**
     * @return its standard error so far, exactly, a line still being written included
     */
    public String stderrText() {
        return err.text();
    }

    /**
     * Waits up to {@link Await#DEFAULT_TIMEOUT} for a line of standard output.
     *
     * @param what the line in words, for the failure message (e.g. "the address it listens on")
     * @param matching which line
     * @return the first line that matches
     * @throws AssertionError if none comes in time or the process ends without printing it
     */
    public String awaitLine(String what, Predicate<String> matching) {
        return awaitLine(what, Await.DEFAULT_TIMEOUT, matching);
    }

    /**
     * Waits up to {@code timeout} for a line of standard output.
     *
     * @param what the line in words, for the failure message (e.g. "the address it listens on")
     * @param timeout how long to wait
     * @param matching which line
     * @return the first line that matches
     * @throws AssertionError if none comes in time or the process ends without printing it
     */
    public String awaitLine(String what, Duration timeout, Predicate<String> matching) {
        String[] found = new String[1];
        Await.until(
                name + " prints " + what,
                timeout,
                () -> {
                    // Asked before reading, so that an ended process's last lines are read in full.
                    boolean ended = !process.isAlive();
                    found[0] = out.lines().stream().filter(matching).findFirst().orElse(null);
                    if (found[0] == null && ended) {
                        throw new AssertionError(name + " ended with exit code " + process.exitValue()
                                + " before it printed " + what + "\n" + describe());
                    }
                    return found[0] != null;
                },
                this::describe);
        return found[0];
    }

    /**
     * Fails the test, showing the output, if the process has ended: for conditions that wait on
     * something only a running process can bring.
     *
     * @throws AssertionError if it is no longer running
     */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " ended early with exit code " + process.exitValue() + "\n" + describe());
        }
    }

    /**
     * Writes a line to its standard input and flushes it.
     *
     * @param line the line, without its {@code '\n'}
     * @throws UncheckedIOException if the process no longer reads its input
     */
    public void writeLine(String line) {
        try {
            OutputStream in = process.getOutputStream();
            synchronized (in) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name + "'s standard input: " + e.getMessage(), e);
        }
    }

    /**
     * Waits up to {@link #EXIT_TIMEOUT} for the process to end by itself.
     *
     * @return its exit code
     * @throws AssertionError if it does not end in time
     */
    public int awaitExit() throws InterruptedException {
        return awaitExit(EXIT_TIMEOUT);
    }

    /**
     * Waits up to {@code timeout} for the process to end by itself.
     *
     * @param timeout how long to wait
     * @return its exit code
     * @throws AssertionError if it does not end in time
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return exitWithin(timeout, "");
    }

    /**
     * Sends SIGTERM and waits up to {@link #EXIT_TIMEOUT} for the process to end.
     *
     * @return its exit code (a JVM ended by the signal: 143)
     * @throws AssertionError if it does not end in time
     */
    public int terminate() throws InterruptedException {
        return terminate(EXIT_TIMEOUT);
    }

    /**
     * Sends SIGTERM and waits up to {@code timeout} for the process to end.
     *
     * @param timeout how long to wait
     * @return its exit code (a JVM ended by the signal: 143)
     * @throws AssertionError if it does not end in time
     */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return exitWithin(timeout, " of SIGTERM");
    }

    /**
     * Sends SIGKILL and waits for the process to end.
     *
     * @return its exit code (137)
     * @throws AssertionError if it has not ended after {@link #EXIT_TIMEOUT}
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return exitWithin(EXIT_TIMEOUT, " of SIGKILL");
    }

    private int exitWithin(Duration timeout, String after) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new AssertionError(
                    name + " did not end within " + timeout.toMillis() + " ms" + after + "\n" + describe());
        }
        return process.exitValue();
    }

    /**
     * For failure messages: the command, whether it runs, where its output is, and the last
     * {@value #DESCRIBED_LINES} lines of each stream.
     *
     * @return a description of several lines
     */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + name + " (pid " + process.pid() + ", " + state + "): " + label + "\n"
                + "--- " + name + " stdout, last lines of " + out.path() + "\n" + tail(out.lines())
                + "--- " + name + " stderr, last lines of " + err.path() + "\n" + tail(err.lines());
    }

    private static String tail(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.subList(Math.max(0, lines.size() - DESCRIBED_LINES), lines.size())
                .forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /**
     * Kills the process if it still runs and waits briefly for it; never fails. For cleanup: to
     * see a process end well, {@link #terminate()} it first.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The process is gone; its input pipe has nothing left to deliver.
        }
    }

    /**
     * @return its name and process id
     */
    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
