package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A scalar of the document, as the Jackson value node a full decode gives for it (text for
 * strings, a long for integers and counters, epoch milliseconds for timestamps, ...). Jackson's
 * value nodes are never changed once made, so they are shared like every other node.
 *
 * @param value the Jackson value node
 */
record Scalar(JsonNode value) implements Node {}
