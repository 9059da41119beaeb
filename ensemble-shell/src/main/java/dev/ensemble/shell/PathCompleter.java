package dev.ensemble.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the prompt: command names in the first word, paths where a command takes
 * one, and the actor's action names after {@code send ACTOR}. A path is completed by asking the process for the {@code ls} of the directory being typed
 * (relative to the working path), cached for {@link #CACHE_FOR} so that repeated tabs do not each
 * ask; a process that does not answer within {@link #TIMEOUT} gives no candidates rather than a
 * frozen prompt.
 *
 * <p>Called by JLine on the prompt's thread, while no command runs.
 */
final class PathCompleter implements Completer {
    /** How long a directory's listing is reused. */
    static final Duration CACHE_FOR = Duration.ofSeconds(2);

    /** How long completion waits for the process. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final InspectionClient client;
    private final ObjectMapper json;
    private final Supplier<String> cwd;
    private final Map<String, Listing> cache = new ConcurrentHashMap<>();

    private record Listing(long atNanos, List<JsonNode> entries) {}

    PathCompleter(InspectionClient client, ObjectMapper json, Supplier<String> cwd) {
        this.client = client;
        this.json = json;
        this.cwd = cwd;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String word =
                line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (index == 0) {
            for (ShellCommand command : ShellCommand.ALL) {
                candidates.add(new Candidate(command.name()));
            }
            candidates.add(new Candidate("quit"));
            return;
        }
        Optional<ShellCommand> command = ShellCommand.named(words.get(0));
        if (command.isEmpty() || command.get().pathArguments() == 0 || word.startsWith("-")) {
            return;
        }
        int position = pathPosition(words, index);
        if (command.get().name().equals("send") && position == 1) {
            // the action: the names the actor's actions op gives
            for (JsonNode action : listing("actions", ShellPath.resolve(cwd.get(), words.get(1)), "actions")) {
                candidates.add(new Candidate(action.path("name").asText()));
            }
            return;
        }
        if (position >= command.get().pathArguments()) {
            return;
        }
        if (command.get().name().equals("history")) {
            candidates.add(new Candidate("on"));
            candidates.add(new Candidate("off"));
        }
        int slash = word.lastIndexOf('/');
        String typed = slash >= 0 ? word.substring(0, slash + 1) : "";
        String directory = ShellPath.resolve(cwd.get(), typed.isEmpty() ? "." : typed);
        for (JsonNode entry : listing("ls", directory, "entries")) {
            String name = entry.path("name").asText();
            String kind = entry.path("kind").asText();
            boolean container = !kind.equals("actor");
            String shown = container ? name + "/" : name;
            // a container's completion ends in "/" without a space, so that TAB goes on inside it
            candidates.add(new Candidate(typed + shown, shown, null, null, null, null, !container));
        }
    }

    /** Which path argument the word at {@code index} is: flags and their values do not count. */
    private static int pathPosition(List<String> words, int index) {
        int position = 0;
        for (int i = 1; i < index && i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--max") || word.equals("--seconds") || word.equals("-n")) {
                i++;
            } else if (!word.startsWith("-")) {
                position++;
            }
        }
        return position;
    }

    /** The array {@code field} of the result of {@code op} on {@code path}, cached briefly. */
    private List<JsonNode> listing(String op, String path, String field) {
        String key = op + " " + path;
        long now = System.nanoTime();
        Listing cached = cache.get(key);
        if (cached != null && now - cached.atNanos() < CACHE_FOR.toNanos()) {
            return cached.entries();
        }
        List<JsonNode> entries = new ArrayList<>();
        try {
            JsonNode result = client.call(json.createObjectNode().put("op", op).put("path", path), TIMEOUT);
            result.path(field).forEach(entries::add);
        } catch (CommandException e) {
            return List.of(); // no such path, or no answer: nothing to offer
        }
        cache.put(key, new Listing(now, entries));
        return entries;
    }
}
