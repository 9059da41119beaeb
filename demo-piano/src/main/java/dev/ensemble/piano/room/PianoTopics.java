package dev.ensemble.piano.room;

import dev.ensemble.collab.ephemeral.Topic;
import dev.ensemble.piano.model.BeatEvent;
import dev.ensemble.piano.model.NoteEvent;
import dev.ensemble.piano.model.PedalEvent;

/**
 * The ephemeral topics of a piano room. Each message is the piano's own record as UTF-8 JSON
 * (for example {@code {"playerId":"ada","key":60,"velocity":90,"on":true,"sentAtMillis":1700000000000}},
 * about 80 bytes), readable by a browser peer; a message that fails the record's validation (a
 * key of 200, say) is dropped by the receiving channel with an error naming the sender.
 */
final class PianoTopics {
    /** The channel id of the room's ephemeral envelopes. */
    static final String CHANNEL = "piano";
    /** Notes are tiny: anything larger is hostile. */
    static final int MAX_PAYLOAD_BYTES = 256;

    static final Topic<NoteEvent> NOTES =
            Topic.json("piano.note", NoteEvent.class).withMaxPayloadBytes(MAX_PAYLOAD_BYTES);
    static final Topic<PedalEvent> PEDAL =
            Topic.json("piano.pedal", PedalEvent.class).withMaxPayloadBytes(MAX_PAYLOAD_BYTES);
    static final Topic<BeatEvent> BEATS =
            Topic.json("piano.beat", BeatEvent.class).withMaxPayloadBytes(MAX_PAYLOAD_BYTES);

    private PianoTopics() {}
}
