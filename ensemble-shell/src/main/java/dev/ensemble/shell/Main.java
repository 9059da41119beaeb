package dev.ensemble.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code java -jar ensemble-shell.jar}: attaches to an inspected actor system and runs the
 * interactive prompt, or the commands of {@code -c} (docs/SHELL.md, "Commands").
 *
 * <p>Exit status: 0 success, 1 a command failed, 2 bad flags, 3 attach failed or the connection was
 * lost.
 */
public final class Main {
    /** Every command succeeded. */
    public static final int OK = 0;
    /** A command failed: an error reply, an unknown command, a bad argument. */
    public static final int COMMAND_FAILED = 1;
    /** The shell's flags are wrong. */
    public static final int USAGE = 2;
    /** Attaching failed, or the connection was lost. */
    public static final int ATTACH_FAILED = 3;

    private Main() {}

    /**
     * @param args the flags (see {@code --help})
     */
    public static void main(String[] args) {
        // A command line's own output is its results: library logging stays quiet unless asked
        // for (-Dorg.slf4j.simpleLogger.defaultLogLevel=info). Set here, not in a resources file,
        // so that a jar bundling this module (the piano) keeps its own logging configuration.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the shell.
     *
     * @param args the flags
     * @param stdout where results go
     * @param stderr where usage and errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        ShellOptions options;
        try {
            options = ShellOptions.parse(args);
        } catch (UsageException e) {
            stderr.println("ensemble-shell: " + e.getMessage());
            stderr.println(ShellOptions.USAGE);
            return USAGE;
        }
        if (options.help()) {
            stdout.println(ShellOptions.USAGE);
            return OK;
        }
        List<String> script = null;
        if (options.commands() != null) {
            try {
                script = CommandSyntax.commands(options.commands());
            } catch (CommandException e) {
                stderr.println("ensemble-shell: -c: " + e.getMessage());
                return USAGE;
            }
        }
        ObjectMapper json = new ObjectMapper();
        InspectionClient client;
        try {
            client = InspectionClient.attach(Attachers.forOptions(options, stderr), json);
        } catch (AttachException e) {
            stderr.println("ensemble-shell: " + e.getMessage());
            return ATTACH_FAILED;
        }
        try (client) {
            if (script == null) {
                return InteractiveShell.run(client, json, options.format());
            }
            return runScript(client, json, options.format(), script, stdout, stderr);
        } catch (IOException e) {
            stderr.println("ensemble-shell: cannot open the terminal: " + e.getMessage());
            return ATTACH_FAILED;
        }
    }

    static int runScript(
            InspectionClient client,
            ObjectMapper json,
            ShellOptions.Format format,
            List<String> script,
            PrintStream stdout,
            PrintStream stderr) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), false);
        Shell shell = new Shell(client, json, format, out, err, 1);
        boolean failed = false;
        for (String command : script) {
            Shell.Outcome outcome = shell.execute(command);
            if (outcome == Shell.Outcome.DISCONNECTED) {
                return ATTACH_FAILED;
            }
            if (outcome == Shell.Outcome.EXIT) {
                break;
            }
            failed |= outcome == Shell.Outcome.FAILED;
        }
        return failed ? COMMAND_FAILED : OK;
    }
}
