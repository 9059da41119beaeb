package dev.ensemble.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The command layer: runs one command line against an attached process, keeps the working path,
 * and prints results as text or as JSON lines ({@link ShellOptions.Format}). Used by both the
 * {@code -c} script and the interactive prompt.
 *
 * <h2>Printing</h2>
 * Text goes to {@code out}, errors in text form to {@code err}. In JSON form every result, event
 * and error is one object on {@code out}: the protocol's {@code result} and {@code event} objects
 * unchanged, and {@code {"error":{"code":…,"message":…}}} for a failure.
 *
 * <h2>Threading</h2>
 * {@link #execute} runs on one thread at a time (the prompt's or the script's). Stream events are
 * printed from the attachment's reader thread while {@code execute} waits. {@link #interrupt} may
 * be called from any thread (a Ctrl-C handler): it cancels the running stream, ends {@code top}, or
 * stops waiting for a reply.
 */
final class Shell {
    /** What running a command came to. */
    enum Outcome {
        /** It succeeded. */
        OK,
        /** It failed; the error is printed. */
        FAILED,
        /** {@code exit} or {@code quit}. */
        EXIT,
        /** The connection to the process ended; the reason is printed. */
        DISCONNECTED
    }

    /** How often {@code top} refreshes at most. */
    static final Duration TOP_PERIOD = Duration.ofSeconds(1);

    private final InspectionClient client;
    private final ObjectMapper json;
    private final ShellOptions.Format format;
    private final PrintWriter out;
    private final PrintWriter err;
    private final TextRenderer text;
    private final int defaultTopIterations;
    private final Object interruption = new Object();
    private volatile Runnable clearScreen;
    private volatile String cwd = "/";
    private volatile InspectionClient.Call current;
    private boolean interrupted; // guarded by interruption

    /**
     * @param client the attached process
     * @param json the shell's mapper
     * @param format text or JSON lines
     * @param out where results go
     * @param err where errors go in text form
     * @param defaultTopIterations how many times {@code top} refreshes without {@code -n} (a script
     *     wants 1; the prompt, until Ctrl-C)
     */
    Shell(
            InspectionClient client,
            ObjectMapper json,
            ShellOptions.Format format,
            PrintWriter out,
            PrintWriter err,
            int defaultTopIterations) {
        this.client = client;
        this.json = json;
        this.format = format;
        this.out = out;
        this.err = err;
        this.text = new TextRenderer(json);
        this.defaultTopIterations = defaultTopIterations;
    }

    /**
     * Makes {@code top} in text form repaint the screen at each refresh, as top(1) does, rather
     * than print one table after another (a script's output keeps every refresh).
     *
     * @param clearScreen clears the terminal
     */
    void repaintTopWith(Runnable clearScreen) {
        this.clearScreen = clearScreen;
    }

    /**
     * @return the working path
     */
    String cwd() {
        return cwd;
    }

    /**
     * @return the prompt: the system's name and the working path, e.g. {@code piano:/piano/room> }
     */
    String prompt() {
        return client.hello().path("system").asText("?") + ":" + cwd + "> ";
    }

    /**
     * Runs one command and prints what it gives.
     *
     * @param line the command as typed
     * @return how it went
     */
    Outcome execute(String line) {
        synchronized (interruption) {
            interrupted = false;
        }
        try {
            List<String> words = CommandSyntax.words(line);
            if (words.isEmpty()) {
                return Outcome.OK;
            }
            return run(words.get(0), words.subList(1, words.size()));
        } catch (CommandException e) {
            error(e.code(), e.getMessage());
            return e.code().equals(CommandException.DISCONNECTED) ? Outcome.DISCONNECTED : Outcome.FAILED;
        } finally {
            current = null;
            out.flush();
            err.flush();
        }
    }

    /** Ctrl-C: ends the running stream or {@code top}, or stops waiting for a reply. Thread-safe. */
    void interrupt() {
        synchronized (interruption) {
            interrupted = true;
            interruption.notifyAll();
        }
        InspectionClient.Call call = current;
        if (call == null) {
            return;
        }
        if (call.isStream()) {
            client.cancel(call);
        } else {
            client.abandon(call);
        }
    }

    private Outcome run(String command, List<String> args) throws CommandException {
        switch (command) {
            case "pwd" -> {
                noArguments("pwd", args);
                if (format == ShellOptions.Format.JSON) {
                    emit(json.createObjectNode().put("path", cwd));
                } else {
                    print(cwd + "\n");
                }
            }
            case "cd" -> cd(args);
            case "ls" -> ls(args);
            case "tree" -> {
                String path = optionalPath("tree [PATH]", args);
                JsonNode result = call(request("tree").put("path", path));
                show(result, () -> text.tree(result));
            }
            case "cat" -> {
                String path = onePath("cat ACTOR", args);
                JsonNode result = call(request("cat").put("path", path));
                show(result, () -> text.cat(result));
            }
            case "actions" -> {
                String path = onePath("actions ACTOR", args);
                JsonNode result = call(request("actions").put("path", path));
                show(result, () -> text.actions(result));
            }
            case "send" -> send(args);
            case "trace" -> trace(args);
            case "history" -> history(args);
            case "top" -> top(args);
            case "watch" -> {
                String path = onePath("watch ACTOR", args);
                stream("watch", request("watch").put("path", path), text::watchEvent);
            }
            case "help" -> help();
            case "exit", "quit" -> {
                return Outcome.EXIT;
            }
            default -> throw new CommandException("unknown-command", "unknown command \"" + command + "\"; try help");
        }
        return Outcome.OK;
    }

    private void cd(List<String> args) throws CommandException {
        if (args.size() > 1) {
            throw usage("cd [PATH]", "takes one path");
        }
        String target = args.isEmpty() ? "/" : resolve(args.get(0));
        // asks the process whether the path exists: a later command must not fail for a typo here
        call(request("ls").put("path", target).put("long", false));
        cwd = target;
        if (format == ShellOptions.Format.JSON) {
            emit(json.createObjectNode().put("path", target));
        }
    }

    private void ls(List<String> args) throws CommandException {
        boolean longForm = false;
        List<String> paths = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-l")) {
                longForm = true;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw usage("ls [-l] [PATH]", "unknown flag " + arg);
            } else {
                paths.add(arg);
            }
        }
        String path = optionalPath("ls [-l] [PATH]", paths);
        boolean l = longForm;
        JsonNode result = call(request("ls").put("path", path).put("long", l));
        show(result, () -> text.ls(result, l));
    }

    private void send(List<String> args) throws CommandException {
        String usage = "send ACTOR ACTION [JSON-ARG...]";
        if (args.size() < 2) {
            throw usage(usage, "needs an actor and an action");
        }
        ArrayNode values = json.createArrayNode();
        for (int i = 2; i < args.size(); i++) {
            values.add(parseJson(i - 1, args.get(i)));
        }
        ObjectNode request = request("send").put("path", resolve(args.get(0))).put("action", args.get(1));
        request.set("args", values);
        JsonNode result = call(request);
        show(result, () -> text.send(result));
    }

    private JsonNode parseJson(int position, String argument) throws CommandException {
        try {
            JsonNode value = json.readTree(argument);
            if (value == null || value.isMissingNode()) {
                throw new CommandException(
                        "bad-json",
                        "argument " + position + " of send is empty; a JSON value is needed"
                                + " (a string needs its quotes: '\"text\"')");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new CommandException(
                    "bad-json",
                    "argument " + position + " of send is not JSON: " + argument + " (" + e.getOriginalMessage()
                            + "; a string needs its quotes: '\"text\"'); nothing was sent");
        }
    }

    private void trace(List<String> args) throws CommandException {
        String usage = "trace [PATH] [--max N] [--seconds S]";
        ObjectNode request = request("trace");
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--max") || arg.equals("--seconds")) {
                if (i + 1 >= args.size()) {
                    throw usage(usage, arg + " needs a number");
                }
                request.put(arg.substring(2), positive(usage, arg, args.get(++i)));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw usage(usage, "unknown flag " + arg);
            } else {
                paths.add(arg);
            }
        }
        request.put("path", optionalPath(usage, paths));
        stream("trace", request, text::traceEvent);
    }

    private void history(List<String> args) throws CommandException {
        String usage = "history [PATH] [-n N] | history on|off";
        if (args.size() == 1 && (args.get(0).equals("on") || args.get(0).equals("off"))) {
            JsonNode result = call(request("history").put("switch", args.get(0)));
            show(result, () -> "history " + (result.path("recording").asBoolean() ? "on" : "off") + "\n");
            return;
        }
        ObjectNode request = request("history");
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-n")) {
                if (i + 1 >= args.size()) {
                    throw usage(usage, "-n needs a number");
                }
                request.put("n", positive(usage, "-n", args.get(++i)));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw usage(usage, "unknown flag " + arg);
            } else {
                paths.add(arg);
            }
        }
        request.put("path", optionalPath(usage, paths));
        JsonNode result = call(request);
        show(result, () -> text.history(result));
    }

    private void top(List<String> args) throws CommandException {
        String usage = "top [-n ITERATIONS]";
        int iterations = defaultTopIterations;
        if (args.size() == 2 && args.get(0).equals("-n")) {
            iterations = positive(usage, "-n", args.get(1));
        } else if (!args.isEmpty()) {
            throw usage(usage, "takes only -n ITERATIONS");
        }
        for (int i = 0; i < iterations; i++) {
            long started = System.nanoTime();
            JsonNode result = call(request("top"));
            Runnable clear = clearScreen;
            String separator = i > 0 && clear == null ? "\n" : "";
            if (clear != null && format == ShellOptions.Format.TEXT) {
                synchronized (out) {
                    clear.run();
                }
            }
            show(result, () -> separator + text.top(result));
            if (i + 1 < iterations && !pause(started + TOP_PERIOD.toNanos())) {
                return; // Ctrl-C
            }
        }
    }

    /** Waits until {@code deadline} (a {@code nanoTime}) unless interrupted; false if interrupted. */
    private boolean pause(long deadline) {
        synchronized (interruption) {
            long left;
            while (!interrupted && (left = deadline - System.nanoTime()) > 0) {
                try {
                    interruption.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !interrupted;
        }
    }

    private void help() {
        if (format == ShellOptions.Format.JSON) {
            ArrayNode commands = json.createArrayNode();
            for (ShellCommand command : ShellCommand.ALL) {
                commands.addObject()
                        .put("name", command.name())
                        .put("usage", command.usage())
                        .put("summary", command.summary());
            }
            ObjectNode result = json.createObjectNode();
            result.set("commands", commands);
            emit(result);
        } else {
            print(TextRenderer.help(ShellCommand.ALL));
        }
    }

    private void stream(String op, ObjectNode request, java.util.function.Function<JsonNode, String> render)
            throws CommandException {
        Consumer<JsonNode> events =
                format == ShellOptions.Format.JSON ? this::emit : event -> print(render.apply(event));
        InspectionClient.Call call = client.start(request, events);
        JsonNode result = await(call);
        show(result, () -> text.streamEnd(op, result));
    }

    private JsonNode call(ObjectNode request) throws CommandException {
        return await(client.start(request, null));
    }

    private JsonNode await(InspectionClient.Call call) throws CommandException {
        current = call;
        synchronized (interruption) {
            if (interrupted) {
                interrupt();
            }
        }
        try {
            return call.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted", "interrupted");
        } catch (ExecutionException e) {
            throw InspectionClient.unwrap(e);
        } finally {
            current = null;
        }
    }

    private ObjectNode request(String op) {
        return json.createObjectNode().put("op", op);
    }

    private String resolve(String path) {
        return ShellPath.resolve(cwd, path);
    }

    private String optionalPath(String usage, List<String> args) throws CommandException {
        if (args.size() > 1) {
            throw usage(usage, "takes at most one path");
        }
        return args.isEmpty() ? cwd : resolve(args.get(0));
    }

    private String onePath(String usage, List<String> args) throws CommandException {
        if (args.size() != 1) {
            throw usage(usage, "takes one actor's path");
        }
        return resolve(args.get(0));
    }

    private static void noArguments(String command, List<String> args) throws CommandException {
        if (!args.isEmpty()) {
            throw usage(command, "takes no arguments");
        }
    }

    private static int positive(String usage, String flag, String value) throws CommandException {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the value seen
        }
        throw usage(usage, flag + " must be a positive integer, not \"" + value + "\"");
    }

    private static CommandException usage(String usage, String problem) {
        return new CommandException("usage", usage.split(" ")[0] + ": " + problem + "; usage: " + usage);
    }

    private void show(JsonNode result, java.util.function.Supplier<String> rendered) {
        if (format == ShellOptions.Format.JSON) {
            emit(result);
        } else {
            print(rendered.get());
        }
    }

    private void emit(JsonNode node) {
        synchronized (out) {
            out.println(node.toString());
            out.flush();
        }
    }

    private void print(String rendered) {
        synchronized (out) {
            out.print(rendered);
            out.flush();
        }
    }

    private void error(String code, String message) {
        if (format == ShellOptions.Format.JSON) {
            ObjectNode line = json.createObjectNode();
            line.putObject("error").put("code", code).put("message", message);
            emit(line);
        } else {
            synchronized (out) {
                out.flush();
            }
            err.println(message);
            err.flush();
        }
    }
}
