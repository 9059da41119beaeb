/**
 * Looking inside a running process: the tree of actors and namespaces, their states, the messages
 * entering them. An {@link dev.ensemble.core.inspect.Inspector} answers the requests of the
 * inspection protocol (docs/SHELL.md, "Protocol") in {@link
 * dev.ensemble.core.inspect.InspectionSession}s; the local socket of {@link
 * dev.ensemble.core.inspect.InspectionSockets} and ensemble-remote carry those sessions to
 * {@code ensemble-shell}.
 */
package dev.ensemble.core.inspect;
