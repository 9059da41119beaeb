package dev.ensemble.collab.repo;

/**
 * The view of a {@link TitleDocument}.
 *
 * @param title the title, or null before there is one
 */
public record TitleView(String title) {}
