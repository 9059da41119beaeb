/**
 * Looking inside a running process: the tree of actors and namespaces, their states, the messages
 * entering them. An {@link dev.ensemble.core.inspect.Inspector} answers the requests of the
 * inspection protocol (docs/SHELL.md, "Protocol") in {@link
 * dev.ensemble.core.inspect.InspectionSession}s; the local socket of {@link
 * dev.ensemble.core.inspect.InspectionSockets} and ensemble-remote carry those sessions to
 * {@code ensemble-shell}. An actor system's inspector is {@code ActorSystem.inspector()}; things
 * that are not actors join the tree as read-only {@link
 * dev.ensemble.core.inspect.InspectableNamespace}s. The engine is {@code
 * dev.ensemble.core.internal.inspect} (INTERNAL API).
 */
package dev.ensemble.core.inspect;
