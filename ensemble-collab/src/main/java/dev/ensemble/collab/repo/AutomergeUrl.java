package dev.ensemble.collab.repo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@code automerge:} URL: {@code automerge:<document id>}, optionally followed by {@code #} and
 * the document's heads separated by {@code |}, each a change hash (32 bytes) in bs58check.
 * {@code automerge:<id>#} names the empty heads list. Immutable and thread-safe.
 *
 * <pre>{@code
 * AutomergeUrl url = AutomergeUrl.parse("automerge:1Bhh3pU9gLXZiNDL6PEa1Gs9fh");
 * url.documentId();   // 1Bhh3pU9gLXZiNDL6PEa1Gs9fh
 * url.heads();        // null: no heads given, the document as it is now
 * }</pre>
 *
 * @param documentId the document
 * @param heads the heads as bs58check text, or null when the URL has no {@code #} part
 */
public record AutomergeUrl(DocumentId documentId, List<String> heads) {
    /** The scheme, with its colon. */
    public static final String PREFIX = "automerge:";
    /** Longer than any URL of a document id and a few heads. */
    public static final int MAX_LENGTH = 4096;

    private static final Pattern WORD = Pattern.compile("\\w+");
    private static final int HASH_BYTES = 32;

    /**
     * @param documentId the document
     * @param heads the heads as bs58check text, or null
     */
    public AutomergeUrl {
        Objects.requireNonNull(documentId, "documentId");
        heads = heads == null ? null : List.copyOf(heads);
    }

    /**
     * Parses a URL as automerge-repo does, and also checks that every head is a 32-byte hash.
     *
     * @param url the URL
     * @return the parsed URL
     * @throws IllegalArgumentException naming the URL and what is wrong with it
     */
    public static AutomergeUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "automerge URL must be at most " + MAX_LENGTH + " characters, but has " + url.length());
        }
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "not an automerge URL (must start with \"" + PREFIX + "\"): \"" + url + "\"");
        }
        int hash = url.indexOf('#');
        if (hash >= 0 && url.indexOf('#', hash + 1) >= 0) {
            throw new IllegalArgumentException("automerge URL has more than one '#': \"" + url + "\"");
        }
        String id = url.substring(PREFIX.length(), hash < 0 ? url.length() : hash);
        if (!WORD.matcher(id).matches()) {
            throw new IllegalArgumentException("automerge URL \"" + url + "\" has no document id after \"" + PREFIX
                    + "\" (letters and digits expected)");
        }
        DocumentId documentId;
        try {
            documentId = DocumentId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("automerge URL \"" + url + "\": " + e.getMessage(), e);
        }
        if (hash < 0) {
            return new AutomergeUrl(documentId, null);
        }
        List<String> heads = new ArrayList<>();
        String section = url.substring(hash + 1);
        if (!section.isEmpty()) {
            for (String head : section.split("\\|", -1)) {
                byte[] bytes;
                try {
                    bytes = Base58Check.decode(head, "head");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("automerge URL \"" + url + "\": " + e.getMessage(), e);
                }
                if (bytes.length != HASH_BYTES) {
                    throw new IllegalArgumentException("automerge URL \"" + url + "\": head \"" + head + "\" holds "
                            + bytes.length + " bytes, not a " + HASH_BYTES + "-byte change hash");
                }
                heads.add(head);
            }
        }
        return new AutomergeUrl(documentId, heads);
    }

    /**
     * @param hash a change hash (32 bytes)
     * @return its bs58check text, as in URLs and {@code remote-heads-changed}
     */
    public static String encodeHead(byte[] hash) {
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a change hash has " + HASH_BYTES + " bytes, not " + hash.length);
        }
        return Base58Check.encode(hash);
    }

    /** @return the URL text */
    @Override
    public String toString() {
        return heads == null ? PREFIX + documentId : PREFIX + documentId + "#" + String.join("|", heads);
    }
}
