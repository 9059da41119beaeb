package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSyntaxTest {
    @Test
    void splitsWordsOnWhitespace() throws CommandException {
        assertEquals(List.of("ls", "-l", "/piano"), CommandSyntax.words("  ls   -l\t/piano "));
        assertEquals(List.of(), CommandSyntax.words("   "));
    }

    @Test
    void quotesKeepJsonArgumentsWhole() throws CommandException {
        assertEquals(
                List.of("send", "room", "play", "{\"note\": 60}", "\"text\""),
                CommandSyntax.words("send room play '{\"note\": 60}' '\"text\"'"));
        assertEquals(List.of("a b", "c\"d"), CommandSyntax.words("\"a b\" \"c\\\"d\""));
        assertEquals(List.of("a b"), CommandSyntax.words("a\\ b"));
        assertEquals(List.of(""), CommandSyntax.words("''"));
    }

    @Test
    void splitsAScriptOnSemicolonsOutsideQuotes() throws CommandException {
        assertEquals(
                List.of("cd /piano", "send audio say '\"a;b\"'", "ls"),
                CommandSyntax.commands("cd /piano; send audio say '\"a;b\"' ;; ls;"));
    }

    @Test
    void refusesAnUnclosedQuote() {
        CommandException e = assertThrows(CommandException.class, () -> CommandSyntax.words("send a b '{"));
        assertEquals("usage", e.code());
        assertEquals("unclosed single quote", e.getMessage());
        e = assertThrows(CommandException.class, () -> CommandSyntax.commands("ls \"x; pwd"));
        assertEquals("unclosed double quote", e.getMessage());
    }
}
