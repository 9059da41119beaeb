package dev.ensemble.shell;

import java.util.List;
import java.util.Optional;

/**
 * One of the shell's commands, as {@code help} shows it and completion offers it.
 *
 * @param name what is typed
 * @param usage its synopsis
 * @param summary what it does, in a line
 * @param pathArguments how many of its leading arguments (after flags are taken out) are paths, for
 *     completion: 0, 1, or {@link Integer#MAX_VALUE}
 */
record ShellCommand(String name, String usage, String summary, int pathArguments) {

    /** Every command, in the order {@code help} lists them. */
    static final List<ShellCommand> ALL = List.of(
            new ShellCommand("pwd", "pwd", "print the working path", 0),
            new ShellCommand("cd", "cd [PATH]", "change the working path (alone: to /)", 1),
            new ShellCommand(
                    "ls", "ls [-l] [PATH]", "list actors and namespaces; -l: type, status, mailbox, rates, ...", 1),
            new ShellCommand("tree", "tree [PATH]", "the actors and namespaces under PATH as a tree", 1),
            new ShellCommand("cat", "cat ACTOR", "the actor's full current state as JSON", 1),
            new ShellCommand("actions", "actions ACTOR", "the actor's actions with parameter and return types", 1),
            new ShellCommand(
                    "send",
                    "send ACTOR ACTION [JSON-ARG...]",
                    "a tell, or an ask whose reply is printed (needs write access)",
                    1),
            new ShellCommand(
                    "trace",
                    "trace [PATH] [--max N] [--seconds S]",
                    "messages entering the actors under PATH as they happen (Ctrl-C ends it)",
                    1),
            new ShellCommand(
                    "history",
                    "history [PATH] [-n N] | history on|off",
                    "the last messages under PATH; on|off switches recording (write access)",
                    1),
            new ShellCommand(
                    "top", "top [-n ITERATIONS]", "the busiest actors, refreshed every second (Ctrl-C ends it)", 0),
            new ShellCommand("watch", "watch ACTOR", "the actor's state changes as they happen (Ctrl-C ends it)", 1),
            new ShellCommand("help", "help", "this list", 0),
            new ShellCommand("exit", "exit | quit", "leave the shell", 0));

    /**
     * @param name a typed command name
     * @return the command, if there is one of that name ({@code quit} is {@code exit})
     */
    static Optional<ShellCommand> named(String name) {
        String canonical = name.equals("quit") ? "exit" : name;
        return ALL.stream().filter(c -> c.name().equals(canonical)).findFirst();
    }
}
