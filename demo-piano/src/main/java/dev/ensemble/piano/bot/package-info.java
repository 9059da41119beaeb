/**
 * Players that are not people: a {@link dev.ensemble.piano.bot.Melody} (built in, or loaded from
 * a Standard MIDI File by {@link dev.ensemble.piano.bot.MidiFileMelody}) played on a piano by the
 * {@link dev.ensemble.piano.bot.BotPlayer} actor.
 */
package dev.ensemble.piano.bot;
