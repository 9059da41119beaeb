/**
 * One player's piano: the {@link dev.ensemble.piano.session.PianoSession} actor joins the local
 * keyboard, the {@link dev.ensemble.piano.room.PianoRoom} and the {@link
 * dev.ensemble.piano.sound.SoundEngine}; {@link dev.ensemble.piano.session.HeldNotes} tracks which
 * keys each player holds so that nothing is left hanging.
 */
package dev.ensemble.piano.session;
