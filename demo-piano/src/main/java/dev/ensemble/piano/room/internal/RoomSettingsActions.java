package dev.ensemble.piano.room.internal;

import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.piano.model.RoomSettings;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * INTERNAL API: the actions of the network piano room's settings document; public only because
 * actor proxies need a public interface.
 *
 * <p>The actions of a room settings actor; the client's proxy may be called from any thread. */
public interface RoomSettingsActions {
    /**
     * Applies a change to the settings and writes only the fields that changed. Ask.
     *
     * @param change from the current settings to the new ones; may throw to refuse
     * @return the new settings
     */
    CompletableFuture<RoomSettings> apply(UnaryOperator<RoomSettings> change);

    /**
     * Sets the room's title. Ask.
     *
     * @param title at most 80 characters
     * @return the title set
     */
    CompletableFuture<String> retitle(String title);

    /**
     * Ask.
     *
     * @return the document's current version (its heads)
     */
    CompletableFuture<DocumentVersion> currentVersion();
}
