package dev.ensemble.collab;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.automerge.ChangeHash;

/**
 * A point in a document's history: the heads (latest changes) it had then. Obtained from
 * {@link CollaborationActor#version()}, read back with {@link CollaborationActor#viewAt}.
 * Immutable.
 */
public final class DocumentVersion {
    private final ChangeHash[] heads;

    DocumentVersion(ChangeHash[] heads) {
        this.heads = heads.clone();
    }

    ChangeHash[] heads() {
        return heads.clone();
    }

    /** @return the heads' hashes in hex, for display and logs */
    public List<String> hashes() {
        List<String> hex = new ArrayList<>();
        for (ChangeHash head : heads) {
            hex.add(HexFormat.of().formatHex(head.getBytes()));
        }
        return hex;
    }

    /** Versions are equal when their heads' hashes are, in any order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DocumentVersion version
                && new java.util.HashSet<>(version.hashes()).equals(new java.util.HashSet<>(hashes()));
    }

    @Override
    public int hashCode() {
        return new java.util.HashSet<>(hashes()).hashCode();
    }

    @Override
    public String toString() {
        return "DocumentVersion" + hashes();
    }
}
