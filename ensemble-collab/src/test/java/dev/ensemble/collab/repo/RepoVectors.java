package dev.ensemble.collab.repo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The automerge-repo vectors of docs/vectors/automerge-repo (made by the JavaScript library), and
 * a CBOR rewriter that gives any well-formed item its shortest headers, so that cbor-x's bytes
 * (16-bit map headers) can be compared with ours.
 */
final class RepoVectors {
    private RepoVectors() {}

    /** @return the vector directory of the repository this module is in */
    static Path directory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs/vectors/automerge-repo");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "docs/vectors/automerge-repo not found above " + Path.of("").toAbsolutePath());
    }

    /** @return name → bytes of static-vectors.txt, in file order */
    static Map<String, byte[]> staticVectors() {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory().resolve("static-vectors.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        String name = null;
        for (String line : lines) {
            if (line.startsWith("  ")) {
                String value = line.trim();
                vectors.put(
                        name,
                        value.matches("[0-9a-f]+") && value.length() % 2 == 0
                                ? HexFormat.of().parseHex(value)
                                : value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (!line.isBlank()) {
                name = line.trim();
            }
        }
        return vectors;
    }

    /** @return the text value of a vector that is not hex (an id, a URL) */
    static String text(String name) {
        return new String(staticVectors().get(name), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @return {@code item} with every header in its shortest form */
    static byte[] shortestHeaders(byte[] item) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int end = rewrite(item, 0, out);
        if (end != item.length) {
            throw new IllegalArgumentException("trailing bytes at " + end);
        }
        return out.toByteArray();
    }

    private static int rewrite(byte[] in, int at, java.io.ByteArrayOutputStream out) {
        int major = (in[at] & 0xff) >>> 5;
        int info = in[at] & 0x1f;
        int pos = at + 1;
        long argument;
        if (info < 24) {
            argument = info;
        } else if (info <= 27) {
            int size = 1 << (info - 24);
            argument = 0;
            for (int i = 0; i < size; i++) {
                argument = (argument << 8) | (in[pos + i] & 0xff);
            }
            pos += size;
        } else {
            throw new IllegalArgumentException("indefinite lengths are not rewritten");
        }
        if (major == 7) {
            out.write(in, at, pos - at);
            return pos;
        }
        header(out, major, argument);
        switch (major) {
            case 2, 3 -> {
                out.write(in, pos, (int) argument);
                return pos + (int) argument;
            }
            case 4 -> {
                for (long i = 0; i < argument; i++) {
                    pos = rewrite(in, pos, out);
                }
                return pos;
            }
            case 5 -> {
                for (long i = 0; i < 2 * argument; i++) {
                    pos = rewrite(in, pos, out);
                }
                return pos;
            }
            case 6 -> {
                return rewrite(in, pos, out);
            }
            default -> {
                return pos;
            }
        }
    }

    private static void header(java.io.ByteArrayOutputStream out, int major, long argument) {
        int type = major << 5;
        if (argument < 24) {
            out.write(type | (int) argument);
        } else if (argument < 0x100) {
            out.write(type | 24);
            out.write((int) argument);
        } else if (argument < 0x10000) {
            out.write(type | 25);
            out.write((int) (argument >>> 8));
            out.write((int) argument);
        } else if (argument < 0x100000000L) {
            out.write(type | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (argument >>> shift));
            }
        } else {
            out.write(type | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (argument >>> shift));
            }
        }
    }
}
