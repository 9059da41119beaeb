package dev.ensemble.shell;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The shell's paths: the process resolves only absolute paths (docs/SHELL.md, "Paths"), so the
 * working directory, {@code ..}, {@code .}, relative paths and repeated slashes are resolved here,
 * before a request is sent.
 *
 * <pre>{@code
 * ShellPath.resolve("/piano/room", "../audio")   // "/piano/audio"
 * ShellPath.resolve("/piano", "room//presence/") // "/piano/room/presence"
 * ShellPath.resolve("/piano", "/")               // "/"
 * ShellPath.resolve("/", "..")                   // "/" (as in bash: the root is its own parent)
 * }</pre>
 *
 * <p>Thread-safe; stateless.
 */
final class ShellPath {
    private ShellPath() {}

    /**
     * @param cwd the working directory, absolute
     * @param path absolute or relative to {@code cwd}; empty means {@code cwd}
     * @return the absolute, normalised path: starts with {@code /}, no {@code .}, {@code ..}, empty
     *     segment or trailing slash (except the root itself)
     */
    static String resolve(String cwd, String path) {
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(path, "path");
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("working directory must be absolute: " + cwd);
        }
        String joined = path.startsWith("/") ? path : cwd + "/" + path;
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : joined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return segments.isEmpty() ? "/" : "/" + String.join("/", segments);
    }

    /**
     * @param path absolute and normalised
     * @return its last segment, or {@code /} for the root
     */
    static String name(String path) {
        return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
    }
}
