package dev.ensemble.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits what the user typed the way a POSIX shell would, so that JSON arguments can be quoted:
 * {@code send room play '{"note":60}' 100} is four words after the command. Single quotes keep
 * everything literally; double quotes keep everything but {@code \"} and {@code \\}; a backslash
 * outside quotes escapes the next character. {@code ;} outside quotes separates commands in a
 * {@code -c} script.
 *
 * <p>Thread-safe; stateless.
 */
final class CommandSyntax {
    private CommandSyntax() {}

    /**
     * @param script commands separated by {@code ;} (outside quotes)
     * @return each command's text, trimmed, empty ones left out
     * @throws CommandException with code {@code usage} if a quote is not closed
     */
    static List<String> commands(String script) throws CommandException {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote == 0 && c == ';') {
                add(commands, current);
                continue;
            }
            current.append(c);
            if (quote == 0 && c == '\\' && i + 1 < script.length()) {
                current.append(script.charAt(++i));
            } else if (quote == '"' && c == '\\' && i + 1 < script.length()) {
                current.append(script.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (quote != 0) {
            throw new CommandException("usage", "unclosed " + (quote == '"' ? "double" : "single") + " quote");
        }
        add(commands, current);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder current) {
        String command = current.toString().trim();
        if (!command.isEmpty()) {
            commands.add(command);
        }
        current.setLength(0);
    }

    /**
     * @param command one command
     * @return its words, quotes removed
     * @throws CommandException with code {@code usage} if a quote is not closed
     */
    static List<String> words(String command) throws CommandException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new CommandException("usage", "unclosed " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
