/**
 * INTERNAL API: supervision trees: supervisor nodes and their serial decisions, the members they
 * supervise, the bus routers of their namespaces, and the building of a tree from its specs.
 */
package dev.ensemble.core.internal.tree;
