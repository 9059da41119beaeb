package dev.ensemble.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * The interactive prompt: JLine line editing, a history kept across sessions in a bounded file
 * ({@link #historyFile}), tab completion ({@link PathCompleter}), and Ctrl-C that ends the running
 * stream (a {@code cancel} to the process) and returns to the prompt. Ctrl-D or {@code exit} leaves.
 *
 * <p>Runs on the calling thread; Ctrl-C arrives on JLine's signal thread and only calls {@link
 * Shell#interrupt()}.
 */
final class InteractiveShell {
    /** Lines the history keeps, in memory and in its file. */
    static final int HISTORY_LINES = 1000;

    private InteractiveShell() {}

    /**
     * @return the history file: {@code $XDG_STATE_HOME/ensemble/shell-history}, or under {@code
     *     ~/.local/state} when that variable is not set
     */
    static Path historyFile(Map<String, String> environment, String home) {
        String state = environment.get("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state) : Path.of(home, ".local", "state");
        return base.resolve("ensemble").resolve("shell-history");
    }

    /**
     * Runs the prompt until {@code exit}, Ctrl-D or a lost connection.
     *
     * @param client the attached process
     * @param json the shell's mapper
     * @param format how results are printed
     * @return the exit status: 0, or 3 when the connection was lost
     * @throws IOException if the terminal cannot be opened
     */
    // dumb(true): with standard input not a terminal (commands piped in), JLine falls back to a
    // dumb terminal without warning on standard error; the commands still run line by line.
    static int run(InspectionClient client, ObjectMapper json, ShellOptions.Format format) throws IOException {
        try (Terminal terminal =
                TerminalBuilder.builder().system(true).dumb(true).build()) {
            if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
                // a pseudo-terminal nobody sized (script(1) without a terminal of its own) reports
                // 0x0, and JLine then draws nothing of the prompt but its last character
                terminal.setSize(new Size(80, 24));
            }
            PrintWriter out = terminal.writer();
            Shell shell = new Shell(client, json, format, out, out, Integer.MAX_VALUE);
            Path history = historyFile(System.getenv(), System.getProperty("user.home"));
            try {
                Files.createDirectories(history.getParent());
            } catch (IOException e) {
                out.println("(history is not kept: cannot create " + history.getParent() + ": " + e.getMessage() + ")");
            }
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("ensemble-shell")
                    .completer(new PathCompleter(client, json, shell::cwd))
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES)
                    .build();
            if (!Terminal.TYPE_DUMB.equals(terminal.getType())
                    && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                shell.repaintTopWith(() -> {
                    terminal.puts(InfoCmp.Capability.clear_screen);
                    terminal.flush();
                });
            }
            terminal.handle(Terminal.Signal.INT, signal -> shell.interrupt());
            // A lost connection ends the prompt at once: raising INT makes readLine return.
            client.onDisconnect(reason -> terminal.raise(Terminal.Signal.INT));
            out.println("attached to " + client.hello().path("system").asText("?") + " (pid "
                    + client.hello().path("pid").asText("?") + ", "
                    + client.hello().path("access").asText("read")
                    + " access); type help for the commands, exit to leave");
            out.flush();
            while (true) {
                String disconnected = client.disconnectReason();
                if (disconnected != null) {
                    out.println("connection lost: " + disconnected);
                    out.flush();
                    return 3;
                }
                String line;
                try {
                    line = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line, as in bash
                } catch (EndOfFileException e) {
                    return 0;
                }
                Shell.Outcome outcome = shell.execute(line);
                if (outcome == Shell.Outcome.EXIT) {
                    return 0;
                }
            }
        }
    }
}
