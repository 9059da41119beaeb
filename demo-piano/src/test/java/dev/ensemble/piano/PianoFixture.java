package dev.ensemble.piano;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.TransportKind;
import dev.ensemble.piano.room.LocalRoomHub;
import dev.ensemble.piano.room.PianoRoom;
import dev.ensemble.piano.session.PianoActions;
import dev.ensemble.piano.session.PianoSession;
import dev.ensemble.piano.session.PianoState;
import dev.ensemble.piano.sound.MidiRecording;
import dev.ensemble.piano.sound.SoundActions;
import dev.ensemble.piano.sound.SoundEngine;
import dev.ensemble.piano.sound.SoundOutput;
import dev.ensemble.piano.sound.SoundState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real actors in a real local room: each player has a silent, recording sound engine. */
public final class PianoFixture implements AutoCloseable {
    private final ActorSystem system = ActorSystem.builder("piano-test").start();
    private final LocalRoomHub hub = new LocalRoomHub("test");
    private final List<Member> members = new ArrayList<>();

    /** One player of the fixture. */
    public record Member(
            Player player,
            PianoRoom room,
            ActorClient<PianoActions, PianoState> piano,
            ActorClient<SoundActions, SoundState> sound) {
        /** @return what this player heard so far */
        public MidiRecording recording() {
            return sound.actions().recording().join();
        }
    }

    /** @return the actor system */
    public ActorSystem system() {
        return system;
    }

    /**
     * @param id the player's id and name
     * @param distance the simulated distance to the room
     * @return the joined player
     */
    public Member join(String id, Duration distance) {
        Player player = new Player(id, id, Player.paletteColor(members.size()), Instrument.PIANO, TransportKind.LOCAL);
        PianoRoom room = hub.join(player, distance);
        system.spawn(
                SoundEngine.token(id),
                () -> new SoundEngine(() -> SoundOutput.silent("test"), true),
                SoundEngine.PROPS);
        ActorClient<PianoActions, PianoState> piano = system.spawn(
                PianoSession.token(id), () -> new PianoSession(room), ActorProps.defaults(), SoundEngine.token(id));
        Member member = new Member(player, room, piano, system.client(SoundEngine.token(id)));
        members.add(member);
        return member;
    }

    /**
     * @param id the player's id and name
     * @return the joined player, at no distance
     */
    public Member join(String id) {
        return join(id, Duration.ZERO);
    }

    @Override
    public void close() {
        system.close();
        hub.close();
    }
}
