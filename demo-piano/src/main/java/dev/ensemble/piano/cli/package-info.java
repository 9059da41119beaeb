/**
 * The command line: {@link dev.ensemble.piano.cli.PianoOptions} parses it, {@link
 * dev.ensemble.piano.cli.Main} opens the window or runs {@link dev.ensemble.piano.cli.HeadlessRun}.
 */
package dev.ensemble.piano.cli;
