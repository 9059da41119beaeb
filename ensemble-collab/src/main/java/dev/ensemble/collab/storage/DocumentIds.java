package dev.ensemble.collab.storage;

import java.util.regex.Pattern;

/** The document id rule shared by every storage: ids become file names, so only safe ones pass. */
final class DocumentIds {

    static final int MAX_LENGTH = 128;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private DocumentIds() {}

    static String requireValid(String documentId) {
        if (documentId == null) {
            throw new IllegalArgumentException("documentId must not be null");
        }
        if (documentId.isEmpty() || documentId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("documentId must be 1 to " + MAX_LENGTH + " characters long, was "
                    + documentId.length() + " characters");
        }
        if (!SAFE.matcher(documentId).matches()) {
            throw new IllegalArgumentException("documentId must use only letters, digits, '.', '_' and '-'"
                    + " and must not start with '.', was \"" + printable(documentId) + "\"");
        }
        return documentId;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(MAX_LENGTH).forEach(c -> {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }
}
