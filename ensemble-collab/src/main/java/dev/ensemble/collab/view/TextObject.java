package dev.ensemble.collab.view;

import org.automerge.ObjectId;

/**
 * An Automerge text object.
 *
 * @param id its object id
 * @param rope its content
 */
record TextObject(ObjectId id, Rope rope) implements Node {}
