package dev.ensemble.piano.cli;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Subscription;
import dev.ensemble.piano.bot.BotActions;
import dev.ensemble.piano.bot.BotPlayer;
import dev.ensemble.piano.bot.BotState;
import dev.ensemble.piano.bot.Melody;
import dev.ensemble.piano.bot.MelodyLoadException;
import dev.ensemble.piano.bot.MidiFileMelody;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.PianoInspection;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.session.SessionSummary;
import dev.ensemble.piano.sound.MidiRecording;
import dev.ensemble.piano.sound.RenderException;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundOutput;
import dev.ensemble.piano.sound.SoundState;
import dev.ensemble.piano.sound.WavRenderer;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A run without a window: this player (and, with {@code --bots N}, N-1 more bot players) in a
 * room (in-process, or on a signaling server with {@code --embedded} or {@code --server}),
 * optionally playing a melody, optionally recording what this player hears.
 *
 * <p>Player 1 is "this player": its sound engine uses the audio device (or plays silently and
 * says why), it records, and its view is the summary. With {@code --bots N} the other bots play
 * the same melody in other registers and instruments; in an in-process room each sits at a
 * simulated distance from the room (5 ms times its number) so that latency compensation has
 * something to do.
 *
 * <pre>{@code
 * SessionSummary summary = HeadlessRun.run(PianoOptions.parse("--headless", "--bots", "3", "--seconds", "2"),
 *         System.out, System.err);
 * }</pre>
 *
 * <p>Threading: {@link #run} blocks the calling thread until the run ends.
 */
public final class HeadlessRun {
    /** How far each bot is from the room, times its number. */
    public static final Duration BOT_DISTANCE_STEP = Duration.ofMillis(5);

    private static final int[] TRANSPOSE = {0, -12, 7, 12, -5, 4, -24, 19, 16, -17, 24, 3, -8, 9, -3};
    private static final Instrument[] BOT_INSTRUMENTS = {
        Instrument.PIANO,
        Instrument.BASS,
        Instrument.STRINGS,
        Instrument.ELECTRIC_PIANO,
        Instrument.ORGAN,
        Instrument.VIBRAPHONE,
        Instrument.FLUTE,
        Instrument.GUITAR
    };
    private static final Duration ASK = Duration.ofSeconds(10);

    private HeadlessRun() {}

    /**
     * Runs until {@code --seconds} pass, or until the bots finished their melody, or (with no bot
     * and no time limit) until the JVM is asked to stop.
     *
     * @param options the parsed options ({@code headless} is assumed)
     * @param out where progress and, at the end, the {@code SUMMARY} line go
     * @param err where problems go (bad MIDI file, no audio, no WAV rendering)
     * @return this player's summary
     * @throws RoomUnavailableException if a network room cannot be joined (nothing is left running)
     * @throws InterruptedException if the calling thread is interrupted
     */
    public static SessionSummary run(PianoOptions options, PrintStream out, PrintStream err)
            throws RoomUnavailableException, InterruptedException {
        Optional<Melody> melody = melody(options, err);
        int players = Math.max(1, options.bots());
        boolean anyBot = melody.isPresent();
        boolean loop = options.seconds().isPresent() && !options.stay();
        boolean untilBotsFinish = anyBot && !loop && !options.stay();
        if (options.record().isPresent()) {
            WavRenderer.unavailableReason()
                    .ifPresent(reason -> err.println("warning: " + reason + "; the run continues without recording"));
        }
        CountDownLatch summarised = new CountDownLatch(1);
        // A run without an end of its own ends with Ctrl-C; the hook is in place before anything is
        // printed, so that a Ctrl-C however early still gets the summary.
        CountDownLatch interrupted =
                options.seconds().isEmpty() && !untilBotsFinish ? holdExitUntilSummarised(summarised, out) : null;
        PianoInspection inspection = PianoInspection.start(options.inspect());
        try (ActorSystem system = inspection.system();
                RoomProvider rooms = RoomProvider.of(options, BOT_DISTANCE_STEP, players)) {
            List<Player> everyone = new ArrayList<>();
            List<ActorClient<PianoActions, PianoState>> pianos = new ArrayList<>();
            List<ActorClient<BotActions, BotState>> bots = new ArrayList<>();
            EventLog log = null;
            for (int index = 0; index < players; index++) {
                int i = index;
                PianoRoom room = rooms.join(player(options, i), i);
                inspection.mount(room);
                Player player = room.self();
                everyone.add(player);
                Supplier<SoundOutput> output = i == 0
                        ? SoundOutput::audibleOrSilent
                        : () -> SoundOutput.silent("bot " + (i + 1) + " is heard through player 1");
                boolean record = i == 0 && options.record().isPresent();
                system.spawn(SoundEngine.token(player.id()), () -> new SoundEngine(output, record), SoundEngine.PROPS);
                pianos.add(system.spawn(
                        PianoSession.token(player.id()),
                        () -> new PianoSession(room),
                        ActorProps.defaults(),
                        SoundEngine.token(player.id())));
                if (i == 0 && options.logEvents().isPresent()) {
                    // At once: peers may already be playing, and every note this player hears belongs in the log.
                    log = eventLog(options.logEvents().get(), pianos.get(0), err);
                }
                if (melody.isPresent()) {
                    Melody tune = melody.get().transpose(TRANSPOSE[i % TRANSPOSE.length]);
                    bots.add(system.spawn(
                            BotPlayer.token(player.id()),
                            () -> new BotPlayer(tune, PianoSession.token(player.id()), loop),
                            ActorProps.defaults(),
                            PianoSession.token(player.id())));
                }
            }
            ActorClient<SoundActions, SoundState> ears =
                    system.client(SoundEngine.token(everyone.get(0).id()));
            CountDownLatch soundKnown = new CountDownLatch(1);
            ears.onState(state -> soundKnown.countDown());
            if (ears.state() != SoundState.STARTING || soundKnown.await(ASK.toSeconds(), TimeUnit.SECONDS)) {
                SoundState sound = ears.state();
                (sound.audible() ? out : err).println("sound: " + sound.description());
            }
            ActorClient<PianoActions, PianoState> me = pianos.get(0);
            rooms.joinHint(true).ifPresent(out::println);
            out.println(
                    "playing in " + rooms.describe() + " as " + everyone.get(0).name()
                            + (players > 1 ? " with " + (players - 1) + " bot(s)" : "")
                            + melody.map(m -> ", bot plays " + m.name()).orElse("")
                            + options.seconds()
                                    .map(s -> " for " + s.toMillis() / 1000.0 + " s")
                                    .orElse(""));
            inspection.printHint(options.inspect(), out, err);
            out.flush();
            if (options.waitForPlayers() > 1) {
                waitForPlayers(me, options.waitForPlayers(), out);
            }
            if (options.metronome().isPresent()) {
                PianoOptions.Metronome metronome = options.metronome().get();
                me.withAskTimeout(ASK)
                        .actions()
                        .metronome(true, metronome.tempoBpm(), metronome.beatsPerBar())
                        .join();
            }

            CountDownLatch finished = new CountDownLatch(untilBotsFinish ? bots.size() : 1);
            for (ActorClient<BotActions, BotState> bot : bots) {
                bot.onState(state -> {
                    if (state.finished()) {
                        finished.countDown();
                    }
                });
                bot.actions().start();
            }
            waitForEnd(options, finished, interrupted);

            for (ActorClient<BotActions, BotState> bot : bots) {
                bot.actions().stop();
            }
            SessionSummary summary =
                    pianos.get(0).withAskTimeout(ASK).actions().leave().join();
            for (ActorClient<PianoActions, PianoState> other : pianos.subList(1, pianos.size())) {
                other.withAskTimeout(ASK).actions().leave().join();
            }
            if (options.record().isPresent()) {
                record(ears, options.record().get(), log, out, err);
            }
            if (log != null) {
                log.close();
            }
            out.println(SummaryLine.format(summary));
            out.flush();
            return summary;
        } finally {
            summarised.countDown();
        }
    }

    private static void waitForEnd(PianoOptions options, CountDownLatch finished, CountDownLatch interrupted)
            throws InterruptedException {
        if (interrupted != null) {
            interrupted.await();
        } else if (options.seconds().isPresent()) {
            finished.await(options.seconds().get().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            finished.await();
        }
    }

    /**
     * Installs a shutdown hook that holds the JVM (SIGTERM, Ctrl-C) until the summary is printed,
     * for at most {@link #ASK}.
     *
     * @return a latch the hook opens when the JVM begins to shut down
     */
    private static CountDownLatch holdExitUntilSummarised(CountDownLatch summarised, PrintStream out) {
        CountDownLatch shutdown = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    shutdown.countDown();
                    try {
                        summarised.await(ASK.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (out == System.out) {
                        // The JVM halts when this hook returns, before main() can: the summary
                        // stays the last line only if the natives' exit noise goes nowhere.
                        WebRtcNatives.closeStandardOutputForExit();
                    }
                },
                "piano-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return shutdown;
    }

    /** Waits, as long as the run may last, until the room lists this many players. */
    private static void waitForPlayers(ActorClient<PianoActions, PianoState> me, int count, PrintStream out)
            throws InterruptedException {
        CountDownLatch enough = new CountDownLatch(1);
        Subscription watch = me.onState(state -> {
            if (state.players().size() >= count) {
                enough.countDown();
            }
        });
        try {
            if (me.state().players().size() < count) {
                out.println("waiting for " + count + " players ("
                        + me.state().players().size() + " in the room)");
                out.flush();
                enough.await();
            }
        } finally {
            watch.cancel();
        }
    }

    private static EventLog eventLog(Path file, ActorClient<PianoActions, PianoState> me, PrintStream err) {
        try {
            return EventLog.open(file, me);
        } catch (IOException e) {
            err.println("warning: cannot write the event log " + file + " (" + e.getMessage()
                    + "); the run continues without it");
            return null;
        }
    }

    private static void record(
            ActorClient<SoundActions, SoundState> ears, Path wav, EventLog log, PrintStream out, PrintStream err) {
        MidiRecording recording = ears.withAskTimeout(ASK).actions().recording().join();
        try {
            WavRenderer.render(recording, wav);
            if (log != null) {
                log.recorded(wav, recording);
            }
            out.println("recorded " + recording.noteOns().size() + " notes ("
                    + recording.length().toMillis() + " ms) to " + wav);
        } catch (RenderException e) {
            err.println("cannot record " + wav + ": " + e.getMessage());
        }
    }

    private static Optional<Melody> melody(PianoOptions options, PrintStream err) {
        Optional<String> source = options.bot()
                .or(() -> options.bots() > 0 ? Optional.of(PianoOptions.BUILT_IN_MELODY) : Optional.empty());
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (source.get().equals(PianoOptions.BUILT_IN_MELODY)) {
            return Optional.of(Melody.builtIn());
        }
        try {
            return Optional.of(MidiFileMelody.load(Path.of(source.get())));
        } catch (MelodyLoadException e) {
            err.println("error: " + e.getMessage() + "; playing the built-in melody instead");
            return Optional.of(Melody.builtIn());
        }
    }

    private static Player player(PianoOptions options, int index) {
        if (index == 0) {
            String id = options.bots() > 0 || options.bot().isPresent() ? "bot-1" : "player-1";
            return new Player(id, options.name(), Player.paletteColor(0), options.instrument(), TransportKind.LOCAL);
        }
        return new Player(
                "bot-" + (index + 1),
                "Bot " + (index + 1),
                Player.paletteColor(index),
                BOT_INSTRUMENTS[index % BOT_INSTRUMENTS.length],
                TransportKind.LOCAL);
    }
}
