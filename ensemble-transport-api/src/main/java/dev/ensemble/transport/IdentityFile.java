package dev.ensemble.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API. Reads and writes the identity file of {@link PeerIdentity}: one JSON object whose
 * members are all strings, e.g. {@code {"kind":"ed25519","peerId":"did:key:z6Mk...","privateKey":"..."}}.
 *
 * <p>This module depends on no JSON library, and the file needs no more than this: the reader
 * accepts exactly a JSON object of string members (any whitespace, any member order, every JSON
 * string escape) and rejects everything else with a message naming the file, the position and
 * what was expected, so a file written by any JSON tool (or by earlier versions, which used
 * Jackson) reads back.
 *
 * <p>Stateless and thread-safe.
 */
final class IdentityFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private IdentityFile() {}

    /** The members of the JSON object in {@code file}, in file order. */
    static Map<String, String> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("identity file " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return new Parser(text).object();
        } catch (IllegalArgumentException e) {
            throw new IOException("identity file " + file + " cannot be read as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code {"kind":..,"peerId":..,"privateKey":..}} atomically, owner-only where POSIX applies. */
    static void write(Path file, String kind, String peerId, String privateKey) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        String json = "{\"kind\":" + quote(kind) + ",\"peerId\":" + quote(peerId) + ",\"privateKey\":"
                + quote(privateKey) + "}\n";
        Path temporary = directory.resolve(absolute.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        createOwnerOnly(temporary);
        Files.writeString(temporary, json, StandardCharsets.UTF_8);
        try {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(
                    "temporary identity file " + file + " appeared while saving; another process "
                            + "is saving the same identity",
                    e);
        }
    }

    /** The values written are a fixed word, a did:key and base64: ASCII without quotes or backslashes. */
    private static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("identity file values are printable ASCII without quotes or"
                        + " backslashes; found character 0x" + Integer.toHexString(c) + " at index " + i);
            }
        }
        return '"' + value + '"';
    }

    /** A recursive-descent reader of one JSON object of string members (RFC 8259 sections 4 and 7). */
    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            this.text = text;
        }

        Map<String, String> object() {
            Map<String, String> members = new LinkedHashMap<>();
            skipWhitespace();
            expect('{', "an object");
            skipWhitespace();
            if (peek() == '}') {
                position++;
            } else {
                while (true) {
                    skipWhitespace();
                    String name = string("a member name");
                    skipWhitespace();
                    expect(':', "':' after member \"" + name + "\"");
                    skipWhitespace();
                    String value = string("a string value for member \"" + name + "\"");
                    if (members.put(name, value) != null) {
                        throw new IllegalArgumentException("member \"" + name + "\" appears twice");
                    }
                    skipWhitespace();
                    char next = peek();
                    position++;
                    if (next == '}') {
                        break;
                    }
                    if (next != ',') {
                        throw unexpected(position - 1, "',' or '}'");
                    }
                }
            }
            skipWhitespace();
            if (position < text.length()) {
                throw unexpected(position, "the end of the file after the object");
            }
            return members;
        }

        private String string(String what) {
            expect('"', what);
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = peek();
                position++;
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    out.append(escape());
                } else if (c < 0x20) {
                    throw unexpected(position - 1, "no control character inside a string");
                } else {
                    out.append(c);
                }
            }
        }

        private char escape() {
            char c = peek();
            position++;
            switch (c) {
                case '"':
                case '\\':
                case '/':
                    return c;
                case 'b':
                    return '\b';
                case 'f':
                    return '\f';
                case 'n':
                    return '\n';
                case 'r':
                    return '\r';
                case 't':
                    return '\t';
                case 'u':
                    if (position + 4 > text.length()) {
                        throw unexpected(text.length(), "four hex digits after \\u");
                    }
                    try {
                        char decoded = (char) Integer.parseInt(text.substring(position, position + 4), 16);
                        position += 4;
                        return decoded;
                    } catch (NumberFormatException e) {
                        throw unexpected(position, "four hex digits after \\u");
                    }
                default:
                    throw unexpected(position - 1, "an escape (one of \" \\ / b f n r t u)");
            }
        }

        private void expect(char wanted, String what) {
            if (peek() != wanted) {
                throw unexpected(position, what);
            }
            position++;
        }

        private char peek() {
            if (position >= text.length()) {
                throw unexpected(position, "more text");
            }
            return text.charAt(position);
        }

        private void skipWhitespace() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                position++;
            }
        }

        private IllegalArgumentException unexpected(int at, String expected) {
            String found = at >= text.length() ? "the end of the file" : "'" + text.charAt(at) + "'";
            return new IllegalArgumentException("expected " + expected + " at character " + at + " but found " + found
                    + " (an identity file is one JSON object of string members)");
        }
    }
}
