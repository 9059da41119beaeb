/**
 * The shared piano room demo: a keyboard several people play together, each with their own
 * General MIDI instrument, heard by everyone with latency compensation.
 *
 * <p>Packages by concept: {@link dev.ensemble.piano.model} (note, pedal and beat messages,
 * players, room settings), {@link dev.ensemble.piano.room} (the seam a network room plugs into,
 * and the in-process room), {@link dev.ensemble.piano.latency} (latency tracking and
 * compensation), {@link dev.ensemble.piano.session} (the actor that plays one player's piano),
 * {@link dev.ensemble.piano.sound} (the synthesizer actor and the WAV recorder),
 * {@link dev.ensemble.piano.bot} (melody players), {@link dev.ensemble.piano.ui} (Swing) and
 * {@link dev.ensemble.piano.cli} (the command line).
 */
package dev.ensemble.piano;
