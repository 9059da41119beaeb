package dev.ensemble.piano.bot;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Cancellable;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An actor that plays a {@link Melody} on a player's piano, as a person would press the keys:
 * once, or in a loop until stopped.
 *
 * <pre>{@code
 * ActorClient<BotActions, BotState> bot = system.spawn(BotPlayer.token("bot1"),
 *         () -> new BotPlayer(Melody.builtIn(), PianoSession.token("bot1"), true),
 *         ActorProps.defaults(), PianoSession.token("bot1"));
 * bot.actions().start();
 * }</pre>
 */
public final class BotPlayer extends Actor<BotState> implements BotActions {
    private final ActorToken<PianoActions, PianoState> piano;
    private final boolean loop;
    private final List<Step> steps;
    private final long lengthNanos;

    // Owned by this actor's turns.
    private long startNanos;
    private int next;
    private Cancellable timer;

    /**
     * @param melody what to play
     * @param piano the piano to play on (declare it as a dependency when spawning)
     * @param loop whether to start again at the end
     */
    public BotPlayer(Melody melody, ActorToken<PianoActions, PianoState> piano, boolean loop) {
        super(BotState.IDLE);
        this.piano = piano;
        this.loop = loop;
        this.lengthNanos = Math.max(1, melody.length().toNanos());
        List<Step> all = new ArrayList<>();
        for (MelodyNote note : melody.notes()) {
            all.add(new Step(note.start().toNanos(), note.key(), note.velocity()));
            all.add(new Step(note.end().toNanos(), note.key(), 0));
        }
        // At equal times a key comes up before it goes down again, so repeated notes sound twice.
        all.sort(Comparator.comparingLong(Step::atNanos).thenComparingInt(Step::velocity));
        this.steps = List.copyOf(all);
    }

    /**
     * @param playerId whose bot
     * @return the bot's token
     */
    public static ActorToken<BotActions, BotState> token(String playerId) {
        return ActorToken.of("bot-" + playerId, BotActions.class, BotState.class);
    }

    @Override
    public void start() {
        if (state().playing()) {
            return;
        }
        startNanos = System.nanoTime();
        next = 0;
        setState(new BotState(true, state().notesPlayed(), state().loops(), false));
        step();
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (state().playing()) {
            dependency(piano).actions().releaseEverything();
            setState(new BotState(false, state().notesPlayed(), state().loops(), state().finished()));
        }
    }

    private void step() {
        timer = null;
        PianoActions keys = dependency(piano).actions();
        long elapsed = System.nanoTime() - startNanos;
        long played = state().notesPlayed();
        long loops = state().loops();
        while (true) {
            if (next == steps.size()) {
                loops++;
                if (!loop) {
                    keys.releaseEverything();
                    setState(new BotState(false, played, loops, true));
                    return;
                }
                startNanos += lengthNanos;
                elapsed -= lengthNanos;
                next = 0;
            }
            Step step = steps.get(next);
            if (step.atNanos() > elapsed) {
                timer = scheduleOnce(Duration.ofNanos(step.atNanos() - elapsed), this::step);
                break;
            }
            if (step.velocity() > 0) {
                keys.press(step.key(), step.velocity());
                played++;
            } else {
                keys.release(step.key());
            }
            next++;
        }
        setState(new BotState(true, played, loops, false));
    }

    private record Step(long atNanos, int key, int velocity) {}
}
