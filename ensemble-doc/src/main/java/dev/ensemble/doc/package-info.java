/**
 * {@code ensemble-doc.jar}: a command line that creates, reads, changes and watches automerge-repo
 * documents on any automerge-repo sync server (ours at {@code /automerge-repo}, or the reference
 * Node server), built on the public API: a {@code RepoConnectionActor} and a
 * {@code CollaborationActor} with a JSON view. See {@code docs/AUTOMERGE-REPO.md}.
 */
package dev.ensemble.doc;
