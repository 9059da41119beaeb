package dev.ensemble.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;

/**
 * The initial change of a document, written identically on every peer: the initial state (and
 * the settings' genesis edits) as one change by an actor id derived from the document id
 * (SHA-256 of {@code ensemble-genesis:<id>}, first 16 bytes). Automerge gives that change the
 * same hash everywhere (automerge-java commits with time 0), so peers that start apart share it
 * instead of creating competing copies. Local edits then use a random actor id.
 *
 * <p>Stateless; the documents it returns belong to the caller, who frees them.
 */
final class Genesis {
    private static final SecureRandom ACTOR_IDS = new SecureRandom();

    static {
        AutomergeRuntime.ensureLoaded();
    }

    private Genesis() {}

    /**
     * @return a document holding only the initial change, with the genesis actor id
     * @throws IllegalArgumentException if the initial state is not an object
     */
    static Document document(CollaborationSettings<?> settings) {
        ObjectMapper mapper = settings.mapper();
        Document genesis = new Document(actorId(settings.documentId()));
        JsonNode initial = mapper.valueToTree(settings.initialState());
        if (!(initial instanceof ObjectNode root)) {
            genesis.free();
            throw new IllegalArgumentException("the initial state of document \"" + settings.documentId()
                    + "\" must be an object (a record or a map), but is " + initial.getNodeType());
        }
        try (Transaction tx = genesis.startTransaction()) {
            DocumentWriter.diffMap(tx, ObjectId.ROOT, root);
            settings.genesis().accept(new DocumentTransaction(tx, mapper));
            tx.commit();
        }
        return genesis;
    }

    /** @return the heads of the initial change */
    static ChangeHash[] heads(CollaborationSettings<?> settings) {
        Document genesis = document(settings);
        try {
            return genesis.getHeads();
        } finally {
            genesis.free();
        }
    }

    /**
     * A fork with a random actor id, freeing the original: the genesis actor id must write
     * nothing but the initial change.
     */
    static Document withOwnActor(Document document) {
        byte[] actor = new byte[16];
        ACTOR_IDS.nextBytes(actor);
        Document own = document.fork(actor);
        document.free();
        return own;
    }

    private static byte[] actorId(String documentId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("ensemble-genesis:" + documentId).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
