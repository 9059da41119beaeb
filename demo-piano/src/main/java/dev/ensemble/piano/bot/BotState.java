package dev.ensemble.piano.bot;

/**
 * How far a bot is.
 *
 * @param playing whether it is playing now
 * @param notesPlayed note-ons it played
 * @param loops how many times it finished the melody
 * @param finished whether it played the melody to its end and stopped (never, when looping)
 */
public record BotState(boolean playing, long notesPlayed, long loops, boolean finished) {
    /** Before it starts. */
    public static final BotState IDLE = new BotState(false, 0, 0, false);
}
