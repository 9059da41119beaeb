package dev.ensemble.collab.repo;

/** What the tests do to a {@link TitleDocument}. */
public interface TitleActions {
    /** @param title the new title */
    void retitle(String title);
}
