/**
 * {@code ensemble-shell}: a command line inside a running actor system ({@code cd}, {@code ls},
 * {@code cat}, {@code send}, {@code trace}, {@code top}, ...), attached through the inspection
 * protocol of {@code dev.ensemble.core.inspect} (docs/SHELL.md). {@link dev.ensemble.shell.Main}
 * is the entry point; {@link dev.ensemble.shell.Attacher} is the transport seam (the local socket,
 * {@link dev.ensemble.shell.LocalSocketAttacher}, and the remote attach).
 */
package dev.ensemble.shell;
