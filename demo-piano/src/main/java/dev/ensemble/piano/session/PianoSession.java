package dev.ensemble.piano.session;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Cancellable;
import dev.ensemble.core.Subscription;
import dev.ensemble.piano.latency.LatencyCompensation;
import dev.ensemble.piano.latency.LatencyTracker;
import dev.ensemble.piano.latency.PlaybackClock;
import dev.ensemble.piano.model.BeatEvent;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PedalEvent;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.room.RoomListener;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's piano: sends this player's keys to the room, plays everyone's notes on the
 * {@link SoundEngine} with latency compensation, keeps the players list, leads the metronome when
 * this player turned it on, and makes sure no note hangs.
 *
 * <h2>Playback</h2>
 * Every message, own or received, is queued per player and played at {@link PlaybackClock} time:
 * own notes after the {@linkplain LatencyCompensation#ownDelay() room's max latency}, a peer's
 * after {@linkplain LatencyCompensation#delayFor max minus its latency}. Each player has a MIDI
 * channel with their instrument.
 *
 * <h2>No stuck notes</h2>
 * A peer that leaves or vanishes: its queued messages are dropped, its held keys released and its
 * channel silenced. {@link PianoActions#releaseEverything()} (focus lost) and
 * {@link PianoActions#leave()} send note-offs for every key this player holds.
 *
 * <pre>{@code
 * system.spawn(SoundEngine.token("alice"), () -> new SoundEngine(SoundOutput::audibleOrSilent, false),
 *         SoundEngine.PROPS);
 * ActorClient<PianoActions, PianoState> piano = system.spawn(PianoSession.token("alice"),
 *         () -> new PianoSession(room), ActorProps.defaults(), SoundEngine.token("alice"));
 * piano.actions().press(60, 100);
 * }</pre>
 *
 * <h2>Events</h2>
 * What this player's synthesizer plays is also emitted, for logs and tests: {@value #HEARD_NOTE}
 * (a {@link HeardNote}, own notes included) and {@value #HEARD_BEAT} (a {@link HeardBeat}).
 *
 * <p>Threading: an actor; room callbacks re-enter through its mailbox.
 */
public final class PianoSession extends Actor<PianoState> implements PianoActions {
    /** The event emitted for each note played or released here; payload: a {@link HeardNote}. */
    public static final String HEARD_NOTE = "heard-note";
    /** The event emitted for each metronome click played here; payload: a {@link HeardBeat}. */
    public static final String HEARD_BEAT = "heard-beat";

    private static final Logger LOG = LoggerFactory.getLogger(PianoSession.class);

    private final PianoRoom room;
    private final String selfId;
    private final ActorToken<SoundActions, SoundState> soundToken;

    // Everything below is owned by this actor's turns.
    private Player self;
    private final Map<String, Player> present = new LinkedHashMap<>();
    private final Map<String, PeerStats> seen = new LinkedHashMap<>();
    private final Set<Integer> localPressed = new TreeSet<>();
    private boolean localPedal;
    private final HeldNotes heard = new HeldNotes();
    private final Set<String> pedalHeard = new HashSet<>();
    private final LatencyTracker latencies = new LatencyTracker(LatencyTracker.DEFAULT_WINDOW);
    private LatencyCompensation compensation = LatencyCompensation.NONE;
    private final PlaybackClock clock = new PlaybackClock();
    private final Map<String, ArrayDeque<Pending>> queues = new HashMap<>();
    private ChannelAllocator channels;
    private final Map<String, Instrument> programmed = new HashMap<>();
    private RoomSettings settings = RoomSettings.DEFAULT;
    private Cancellable metronome;
    private int nextBeat;
    private long notesSent;
    private long notesHeard;
    private boolean left;
    private Subscription roomSubscription;

    /**
     * @param room this player's membership of the room; the session closes it on {@link #leave()}
     */
    public PianoSession(PianoRoom room) {
        super(initial(room.self()));
        this.room = room;
        this.selfId = room.self().id();
        this.soundToken = SoundEngine.token(selfId);
    }

    private static PianoState initial(Player self) {
        return new PianoState(
                self,
                List.of(new PeerView(self, Duration.ZERO, Duration.ZERO, true)),
                Map.of(),
                RoomSettings.DEFAULT,
                0,
                0);
    }

    /**
     * @param playerId the player
     * @return the token of that player's piano; it depends on {@link SoundEngine#token(String)}
     */
    public static ActorToken<PianoActions, PianoState> token(String playerId) {
        return ActorToken.of("piano-" + playerId, PianoActions.class, PianoState.class);
    }

    @Override
    protected void onStart() {
        self = room.self();
        channels = new ChannelAllocator(selfId);
        Executor mailbox = mailboxExecutor();
        roomSubscription = room.subscribe(new RoomListener() {
            @Override
            public void onMessage(PianoMessage message) {
                mailbox.execute(() -> received(message));
            }

            @Override
            public void onPlayers(List<Player> players) {
                mailbox.execute(() -> playersChanged(players));
            }

            @Override
            public void onPlayerLeft(Player player) {
                mailbox.execute(() -> playerGone(player.id()));
            }

            @Override
            public void onLatency(String peerId, Duration oneWay) {
                mailbox.execute(() -> latencyMeasured(peerId, oneWay));
            }

            @Override
            public void onSettings(RoomSettings newSettings) {
                mailbox.execute(() -> settingsChanged(newSettings));
            }
        });
        playersChanged(room.players());
        settingsChanged(room.settings());
    }

    @Override
    protected void onStop() {
        if (roomSubscription != null) {
            roomSubscription.cancel();
        }
    }

    private SoundActions sound() {
        return dependency(soundToken).actions();
    }

    @Override
    public void press(int key, int velocity) {
        NoteEvent on = new NoteEvent(selfId, key, velocity, true, System.currentTimeMillis());
        if (left || !localPressed.add(key)) {
            return;
        }
        notesSent++;
        room.send(on);
        enqueue(selfId, compensation.ownDelay(), on);
        publish();
    }

    @Override
    public void release(int key) {
        NoteEvent.requireKey(key);
        if (left || !localPressed.remove(key)) {
            return;
        }
        NoteEvent off = NoteEvent.off(selfId, key);
        room.send(off);
        enqueue(selfId, compensation.ownDelay(), off);
    }

    @Override
    public void pedal(boolean down) {
        if (left || localPedal == down) {
            return;
        }
        localPedal = down;
        PedalEvent pedal = PedalEvent.of(selfId, down);
        room.send(pedal);
        enqueue(selfId, compensation.ownDelay(), pedal);
    }

    @Override
    public void releaseEverything() {
        for (int key : List.copyOf(localPressed)) {
            release(key);
        }
        pedal(false);
    }

    @Override
    public void chooseInstrument(Instrument instrument) {
        Objects.requireNonNull(instrument, "instrument");
        if (left) {
            return;
        }
        self = self.withInstrument(instrument);
        room.updatePresence(self);
        present.put(selfId, self);
        program(self);
        publish();
    }

    @Override
    public CompletableFuture<RoomSettings> metronome(boolean on, int tempoBpm, int beatsPerBar) {
        return room.updateSettings(
                current -> new RoomSettings(on, tempoBpm, beatsPerBar, on ? selfId : current.metronomeLeader()));
    }

    @Override
    public CompletableFuture<SessionSummary> summary() {
        return reply(summarize());
    }

    @Override
    public CompletableFuture<SessionSummary> leave() {
        if (!left) {
            releaseEverything();
            if (settings.runningLeader().filter(selfId::equals).isPresent()) {
                room.updateSettings(s -> s.withMetronome(false, null));
            }
            stopMetronome();
            left = true;
            room.close();
            for (String player : new ArrayList<>(queues.keySet())) {
                flush(player);
            }
            for (String player : List.copyOf(present.keySet())) {
                silencePlayer(player, HeardNote.Cause.LEAVING);
            }
            publish();
        }
        return reply(summarize());
    }

    private void received(PianoMessage message) {
        String from = message.playerId();
        if (left || from.equals(selfId)) {
            return;
        }
        PeerStats stats = seen.computeIfAbsent(from, id -> new PeerStats(id, id, "LOCAL"));
        if (message instanceof NoteEvent note && note.on()) {
            stats.notesReceived++;
        }
        enqueue(from, compensation.delayFor(from), message);
    }

    private void enqueue(String player, Duration delay, PianoMessage message) {
        long now = System.nanoTime();
        long at = clock.playAt(player, now, delay);
        ArrayDeque<Pending> queue = queues.computeIfAbsent(player, p -> new ArrayDeque<>());
        queue.addLast(new Pending(at, message));
        if (queue.size() == 1) {
            if (at - now <= 0) {
                drain(player);
            } else {
                scheduleOnce(Duration.ofNanos(at - now), () -> drain(player));
            }
        }
    }

    private void drain(String player) {
        ArrayDeque<Pending> queue = queues.get(player);
        if (queue == null) {
            return;
        }
        long now = System.nanoTime();
        while (!queue.isEmpty() && queue.peekFirst().at() - now <= 0) {
            hear(queue.pollFirst().message());
        }
        if (queue.isEmpty()) {
            queues.remove(player);
        } else {
            scheduleOnce(Duration.ofNanos(queue.peekFirst().at() - now), () -> drain(player));
        }
        publish();
    }

    /** Plays everything still queued for a player now, in order (leaving: nothing may be lost). */
    private void flush(String player) {
        ArrayDeque<Pending> queue = queues.remove(player);
        if (queue != null) {
            for (Pending pending : queue) {
                hear(pending.message());
            }
        }
    }

    private void hear(PianoMessage message) {
        String player = message.playerId();
        int channel = channels.channelOf(player);
        if (message instanceof NoteEvent note) {
            if (note.on()) {
                heard.press(player, note.key());
                sound().noteOn(channel, note.key(), note.velocity());
                notesHeard++;
                emitHeard(player, note.key(), note.velocity(), true, HeardNote.Cause.PLAYED);
            } else if (heard.release(player, note.key())) {
                sound().noteOff(channel, note.key());
                emitHeard(player, note.key(), 0, false, HeardNote.Cause.PLAYED);
            }
        } else if (message instanceof PedalEvent pedal) {
            if (pedal.down()) {
                pedalHeard.add(player);
            } else {
                pedalHeard.remove(player);
            }
            sound().sustain(channel, pedal.down());
        } else if (message instanceof BeatEvent beat) {
            if (settings.runningLeader().filter(player::equals).isPresent()) {
                sound().click(beat.accented());
                emit(HEARD_BEAT, new HeardBeat(System.currentTimeMillis(), player, beat.beat(), beat.beatsPerBar()));
            }
        }
    }

    private void playersChanged(List<Player> players) {
        if (left) {
            return;
        }
        Set<String> now = new HashSet<>();
        for (Player player : players) {
            now.add(player.id());
        }
        for (String gone : List.copyOf(present.keySet())) {
            if (!now.contains(gone) && !gone.equals(selfId)) {
                playerGone(gone);
            }
        }
        for (Player player : players) {
            if (player.id().equals(selfId)) {
                continue;
            }
            present.put(player.id(), player);
            PeerStats stats = seen.computeIfAbsent(
                    player.id(),
                    id -> new PeerStats(id, player.name(), player.transport().name()));
            stats.name = player.name();
            stats.transport = player.transport().name();
            program(player);
        }
        present.put(selfId, self);
        program(self);
        publish();
    }

    private void program(Player player) {
        if (programmed.get(player.id()) != player.instrument()) {
            programmed.put(player.id(), player.instrument());
            sound().program(channels.channelOf(player.id()), player.instrument().program());
        }
    }

    private void playerGone(String playerId) {
        if (playerId.equals(selfId) || present.remove(playerId) == null) {
            return;
        }
        queues.remove(playerId);
        silencePlayer(playerId, HeardNote.Cause.PLAYER_LEFT);
        if (settings.runningLeader().filter(playerId::equals).isPresent()) {
            // A vanished leader cannot turn its metronome off; whoever notices first does.
            room.updateSettings(
                    s -> s.runningLeader().filter(playerId::equals).isPresent() ? s.withMetronome(false, null) : s);
        }
        clock.forget(playerId);
        latencies.forget(playerId);
        compensation = latencies.compensation();
        programmed.remove(playerId);
        channels.free(playerId);
        LOG.info("{}: player {} left; released their notes", selfId, playerId);
        publish();
    }

    /** Releases everything a player holds as heard here, and the pedal: one call, no stuck notes. */
    private void silencePlayer(String playerId, HeardNote.Cause cause) {
        int channel = channels.channelOf(playerId);
        for (int key : heard.releaseAll(playerId)) {
            sound().noteOff(channel, key);
            emitHeard(playerId, key, 0, false, cause);
        }
        pedalHeard.remove(playerId);
        sound().silence(channel);
    }

    private void emitHeard(String playerId, int key, int velocity, boolean on, HeardNote.Cause cause) {
        Player player = playerId.equals(selfId) ? self : present.get(playerId);
        PeerStats stats = seen.get(playerId);
        String name = player != null ? player.name() : stats != null ? stats.name : playerId;
        Instrument instrument =
                programmed.getOrDefault(playerId, player == null ? Instrument.PIANO : player.instrument());
        emit(
                HEARD_NOTE,
                new HeardNote(System.currentTimeMillis(), playerId, name, instrument, key, velocity, on, cause));
    }

    private void latencyMeasured(String peerId, Duration oneWay) {
        if (left || !present.containsKey(peerId)) {
            return;
        }
        latencies.record(peerId, oneWay);
        compensation = latencies.compensation();
        publish();
    }

    private void settingsChanged(RoomSettings newSettings) {
        boolean wasLeading = metronome != null;
        boolean leads =
                !left && newSettings.runningLeader().filter(selfId::equals).isPresent();
        boolean tempoChanged =
                newSettings.tempoBpm() != settings.tempoBpm() || newSettings.beatsPerBar() != settings.beatsPerBar();
        settings = newSettings;
        if (wasLeading && (!leads || tempoChanged)) {
            stopMetronome();
        }
        if (leads && metronome == null) {
            nextBeat = 0;
            Duration interval = Duration.ofNanos(newSettings.beatIntervalNanos());
            metronome = scheduleAtFixedRate(Duration.ZERO, interval, this::tick);
        }
        publish();
    }

    private void tick() {
        int beatsPerBar = settings.beatsPerBar();
        BeatEvent beat = new BeatEvent(selfId, nextBeat % beatsPerBar, beatsPerBar, System.currentTimeMillis());
        nextBeat = (nextBeat + 1) % beatsPerBar;
        room.send(beat);
        enqueue(selfId, compensation.ownDelay(), beat);
    }

    private void stopMetronome() {
        if (metronome != null) {
            metronome.cancel();
            metronome = null;
        }
    }

    private void publish() {
        List<PeerView> views = new ArrayList<>();
        views.add(new PeerView(self, Duration.ZERO, compensation.ownDelay(), true));
        for (Player player : present.values()) {
            if (!player.id().equals(selfId)) {
                views.add(new PeerView(
                        player,
                        latencies.average(player.id()).orElse(Duration.ZERO),
                        compensation.delayFor(player.id()),
                        false));
            }
        }
        Map<Integer, Integer> lit = new HashMap<>();
        heard.holders().forEach((key, holder) -> {
            Player player = holder.equals(selfId) ? self : present.get(holder);
            if (player != null) {
                lit.put(key, player.colorRgb());
            }
        });
        setState(new PianoState(self, views, lit, settings, notesSent, notesHeard));
    }

    private SessionSummary summarize() {
        List<PeerSummary> peers = new ArrayList<>();
        for (PeerStats stats : seen.values()) {
            peers.add(new PeerSummary(
                    stats.peerId,
                    stats.name,
                    stats.transport,
                    stats.notesReceived,
                    millis(latencies.percentile(stats.peerId, 50).orElse(null)),
                    millis(latencies.percentile(stats.peerId, 99).orElse(null))));
        }
        return new SessionSummary(selfId, self.name(), notesSent, notesHeard, peers);
    }

    private static double millis(Duration duration) {
        return duration == null ? -1 : Math.round(duration.toNanos() / 10_000.0) / 100.0;
    }

    private record Pending(long at, PianoMessage message) {}

    /** Counters for one peer; owned by the session's turns. */
    private static final class PeerStats {
        final String peerId;
        String name;
        String transport;
        long notesReceived;

        PeerStats(String peerId, String name, String transport) {
            this.peerId = peerId;
            this.name = name;
            this.transport = transport;
        }
    }
}
