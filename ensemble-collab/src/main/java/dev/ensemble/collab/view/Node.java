package dev.ensemble.collab.view;

/**
 * A value in the view's tree: an Automerge object (map, list, text), which carries its object id
 * so that a patch's path can be checked against the tree, or a scalar. Immutable; a change makes
 * new nodes along its path and shares the rest.
 */
sealed interface Node permits MapObject, ListObject, TextObject, Scalar {}
