package dev.ensemble.piano.bot;

/** What a bot does. */
public interface BotActions {
    /** Starts playing its melody from the beginning; does nothing while it plays. */
    void start();

    /** Stops, releasing every key it holds. */
    void stop();
}
