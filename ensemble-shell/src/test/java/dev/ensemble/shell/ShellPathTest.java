package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShellPathTest {
    @Test
    void resolvesRelativePathsAgainstTheWorkingPath() {
        assertEquals("/piano/room", ShellPath.resolve("/piano", "room"));
        assertEquals("/piano/room/presence", ShellPath.resolve("/piano", "room/presence"));
        assertEquals("/piano", ShellPath.resolve("/", "piano"));
    }

    @Test
    void absolutePathsIgnoreTheWorkingPath() {
        assertEquals("/audio", ShellPath.resolve("/piano/room", "/audio"));
        assertEquals("/", ShellPath.resolve("/piano/room", "/"));
    }

    @Test
    void dotDotGoesUpAndStopsAtTheRoot() {
        assertEquals("/piano", ShellPath.resolve("/piano/room", ".."));
        assertEquals("/piano/audio", ShellPath.resolve("/piano/room", "../audio"));
        assertEquals("/", ShellPath.resolve("/piano", "../.."));
        assertEquals("/", ShellPath.resolve("/", ".."));
        assertEquals("/x", ShellPath.resolve("/", "../../x"));
    }

    @Test
    void dotsDuplicateAndTrailingSlashesAreDropped() {
        assertEquals("/piano/room", ShellPath.resolve("/piano", "./room/"));
        assertEquals("/piano/room/presence", ShellPath.resolve("/", "//piano///room//presence/"));
        assertEquals("/piano", ShellPath.resolve("/piano", "."));
        assertEquals("/piano", ShellPath.resolve("/piano", ""));
    }

    @Test
    void refusesARelativeWorkingPath() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ShellPath.resolve("piano", "room"));
        assertEquals("working directory must be absolute: piano", e.getMessage());
    }

    @Test
    void nameIsTheLastSegment() {
        assertEquals("room", ShellPath.name("/piano/room"));
        assertEquals("/", ShellPath.name("/"));
    }
}
