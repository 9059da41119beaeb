/**
 * The published view of a collaboration document, kept current from the edits themselves rather
 * than read again from Automerge after every change: a persistent tree whose unchanged subtrees
 * are shared between successive views, text held as a rope, and the typed view rebuilt only along
 * the changed paths. {@link dev.ensemble.collab.view.Text} is the one type meant for users (a
 * record component that holds a collaborative text without copying it per keystroke); the other
 * public types are INTERNAL API of {@code dev.ensemble.collab}. See docs/COLLABORATION.md, "How
 * the view is maintained".
 */
package dev.ensemble.collab.view;
