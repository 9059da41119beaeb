package dev.ensemble.collab.view;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The ids ({@code counter@actorhex}) of the operations and objects that followed changes name,
 * made once and kept across changes.
 *
 * <h2>Why</h2>
 * A followed keystroke names its text object and its author's actor in every id it makes, and
 * each id string is then hashed and compared (the view's text paths, {@link KnownPositions}). Made
 * anew per change, hex-encoding the actor and hashing the object's id were about a tenth of a
 * followed keystroke's Java time (JFR, paper text). A document has few authors and few texts: the
 * same object id string, its hash already computed, serves every keystroke into the same text.
 *
 * <p><em>Not thread-safe</em>: owned by one {@link ViewTree}, used in its actor's turns.
 */
final class OperationIds {
    /** How many actors and how many objects are remembered; the oldest is replaced first. */
    static final int CAPACITY = 8;

    private final byte[][] actors = new byte[CAPACITY][];
    private final String[] actorHex = new String[CAPACITY];
    private int nextActor;

    private final long[] objectCounters = new long[CAPACITY];
    private final String[] objectActors = new String[CAPACITY];
    private final String[] objectIds = new String[CAPACITY];
    private int nextObject;

    /** @return the actor in lower-case hex, as Automerge writes it in ids */
    String hex(byte[] actor) {
        for (int i = 0; i < CAPACITY; i++) {
            if (actors[i] != null && Arrays.equals(actors[i], actor)) {
                return actorHex[i];
            }
        }
        String hex = HexFormat.of().formatHex(actor);
        actors[nextActor] = actor.clone();
        actorHex[nextActor] = hex;
        nextActor = (nextActor + 1) % CAPACITY;
        return hex;
    }

    /** @return the id of an operation: a new string each time (element ids rarely repeat) */
    String id(long counter, byte[] actor) {
        return counter + "@" + hex(actor);
    }

    /** @return the id of an object, the same string for the same object while it is remembered */
    String objectId(long counter, byte[] actor) {
        return objectId(counter, hex(actor));
    }

    /**
     * @param hex the actor in hex, as {@link #hex} returned it
     * @return as {@link #objectId(long, byte[])}
     */
    String objectId(long counter, String hex) {
        for (int i = 0; i < CAPACITY; i++) {
            // The actor's hex is the remembered instance, so identity is equality here.
            if (objectActors[i] == hex && objectCounters[i] == counter) {
                return objectIds[i];
            }
        }
        String id = counter + "@" + hex;
        objectCounters[nextObject] = counter;
        objectActors[nextObject] = hex;
        objectIds[nextObject] = id;
        nextObject = (nextObject + 1) % CAPACITY;
        return id;
    }
}
