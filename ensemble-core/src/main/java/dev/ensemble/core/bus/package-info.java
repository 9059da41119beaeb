/**
 * The message bus: actors publish named messages to their namespace and declare which names they
 * handle; each supervisor's {@link dev.ensemble.core.bus.RoutingTable} routes them to its
 * children or forwards them, renamed, to other namespaces. Who talks to whom is configuration,
 * not code.
 */
package dev.ensemble.core.bus;
