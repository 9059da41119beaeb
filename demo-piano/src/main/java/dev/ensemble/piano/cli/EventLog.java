package dev.ensemble.piano.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Subscription;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.session.HeardBeat;
import dev.ensemble.piano.session.HeardNote;
import dev.ensemble.piano.session.PeerView;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.MidiRecording;
import dev.ensemble.piano.sound.TimedMidi;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes what one player hears to a file, one JSON object a line ({@code --log-events FILE}), so
 * that scripts and tests can check a run. Each line has {@code t} (this machine's clock, ms since
 * the epoch) and {@code type}:
 *
 * <pre>
 * {"t":…,"type":"note","player":"did:key:…","name":"Ada","instrument":"piano","key":60,"velocity":90,"on":true,"cause":"played"}
 * {"t":…,"type":"note",…,"key":60,"velocity":0,"on":false,"cause":"player-left"}
 * {"t":…,"type":"beat","leader":"did:key:…","beat":0,"beatsPerBar":3}
 * {"t":…,"type":"settings","metronomeOn":true,"tempoBpm":132,"beatsPerBar":3,"leader":"did:key:…"}
 * {"t":…,"type":"joined","player":"did:key:…","name":"Bo","instrument":"organ"}
 * {"t":…,"type":"left","player":"did:key:…","name":"Bo"}
 * {"t":…,"type":"recorded","file":"heard.wav","startedAt":…,"notes":42,"timeline":[{"ms":1908,"channel":1,"key":48,"on":true},…]}
 * </pre>
 *
 * Notes are this player's own and everyone else's, as played here (after latency compensation);
 * {@code cause} is {@code played}, {@code player-left} (the player left or vanished and what they
 * held was released) or {@code leaving} (this player left). The first line names this player
 * ({@code joined}). Each line is flushed as written.
 *
 * <p>Thread-safe: the piano's callbacks and the run's thread write through one lock.
 */
final class EventLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final Subscription events;
    private final Subscription states;
    // Guarded by this.
    private RoomSettings settings;
    private Set<String> players = new LinkedHashSet<>();
    private boolean closed;

    private EventLog(Path file, ActorClient<PianoActions, PianoState> piano) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        state(piano.state());
        this.events = piano.onEvent(this::event);
        this.states = piano.onState(this::state);
    }

    /**
     * Starts logging a player's piano.
     *
     * @param file created or replaced
     * @param piano this player's piano
     * @return the log; close it after the player left
     * @throws IOException if the file cannot be written
     */
    static EventLog open(Path file, ActorClient<PianoActions, PianoState> piano) throws IOException {
        return new EventLog(file, piano);
    }

    /**
     * Adds the line about the WAV file written.
     *
     * @param file the WAV file
     * @param recording what was rendered into it
     */
    synchronized void recorded(Path file, MidiRecording recording) {
        ObjectNode line = line("recorded");
        line.put("file", file.toString());
        line.put("startedAt", recording.startedAtMillis());
        line.put("notes", recording.noteOns().size());
        // Where each note starts and ends in the file, by the synthesizer's clock: it plays a note a
        // moment after the piano hears it (longer on a busy machine), so `t` only comes close.
        ArrayNode timeline = line.putArray("timeline");
        for (TimedMidi event : recording.events()) {
            boolean on = event.isNoteOn();
            if (on || event.isNoteOff()) {
                timeline.addObject()
                        .put("ms", event.micros() / 1000)
                        .put("channel", event.channel())
                        .put("key", event.data1())
                        .put("on", on);
            }
        }
        write(line);
    }

    private synchronized void event(ActorEvent event) {
        if (event.payload() instanceof HeardNote note && event.name().equals(PianoSession.HEARD_NOTE)) {
            ObjectNode line = line("note", note.atMillis());
            line.put("player", note.playerId());
            line.put("name", note.playerName());
            line.put("instrument", cliName(note.instrument().name()));
            line.put("key", note.key());
            line.put("velocity", note.velocity());
            line.put("on", note.on());
            line.put("cause", cliName(note.cause().name()));
            write(line);
        } else if (event.payload() instanceof HeardBeat beat && event.name().equals(PianoSession.HEARD_BEAT)) {
            ObjectNode line = line("beat", beat.atMillis());
            line.put("leader", beat.leaderId());
            line.put("beat", beat.beat());
            line.put("beatsPerBar", beat.beatsPerBar());
            write(line);
        }
    }

    private synchronized void state(PianoState state) {
        if (!state.settings().equals(settings)) {
            settings = state.settings();
            ObjectNode line = line("settings");
            line.put("metronomeOn", settings.metronomeOn());
            line.put("tempoBpm", settings.tempoBpm());
            line.put("beatsPerBar", settings.beatsPerBar());
            line.put("leader", settings.metronomeLeader());
            write(line);
        }
        Set<String> now = new LinkedHashSet<>();
        List<PeerView> views = state.players();
        for (PeerView view : views) {
            Player player = view.player();
            now.add(player.id());
            if (!players.contains(player.id())) {
                ObjectNode line = line("joined");
                line.put("player", player.id());
                line.put("name", player.name());
                line.put("instrument", cliName(player.instrument().name()));
                write(line);
            }
        }
        for (String gone : players) {
            if (!now.contains(gone)) {
                ObjectNode line = line("left");
                line.put("player", gone);
                write(line);
            }
        }
        players = now;
    }

    private static ObjectNode line(String type) {
        return line(type, System.currentTimeMillis());
    }

    private static ObjectNode line(String type, long atMillis) {
        ObjectNode line = JSON.createObjectNode();
        line.put("t", atMillis);
        line.put("type", type);
        return line;
    }

    private static String cliName(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void write(ObjectNode line) {
        if (closed) {
            return;
        }
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event as JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the event log: " + e.getMessage(), e);
        }
    }

    /** Stops listening and closes the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        events.cancel();
        states.cancel();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the event log: " + e.getMessage(), e);
        }
    }
}
