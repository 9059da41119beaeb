package dev.ensemble.remote.wire;

import java.util.List;
import java.util.Objects;

/**
 * One message between two nodes, as {@link FrameCodec} reads and writes it. Each kind is a record
 * nested here.
 *
 * <pre>{@code
 * if (frame instanceof Frame.Call call) {
 *   dispatch(call);
 * } else if (frame instanceof Frame.Reply reply) {
 *   complete(reply);
 * } // ...
 * }</pre>
 *
 * <p>Records are immutable but hold the arrays of their {@link WireValue}s uncopied.
 */
public sealed interface Frame {

    /**
     * A call of an action: a tell ({@code ask == false}, answered only when refused) or an ask
     * (answered by exactly one {@link Reply} unless lost).
     *
     * @param ask whether the caller waits for a reply
     * @param callId the caller's id for this call, at least 1; ids from one node to another
     *     increase strictly, which is how the receiver keeps calls in order and drops duplicates
     * @param target the exposed actor's name
     * @param action the action's method name
     * @param arguments the encoded arguments, at most {@value FrameCodec#MAX_ARGUMENTS}
     */
    record Call(boolean ask, long callId, String target, String action, List<WireValue> arguments) implements Frame {
        /**
         * Validates and copies the list.
         *
         * @param ask tell or ask
         * @param callId the id
         * @param target the actor name
         * @param action the action name
         * @param arguments the arguments
         */
        public Call {
            checkId(callId, "callId");
            checkName(target, "target");
            checkName(action, "action");
            arguments = List.copyOf(arguments);
            if (arguments.size() > FrameCodec.MAX_ARGUMENTS) {
                throw new IllegalArgumentException("a call carries at most " + FrameCodec.MAX_ARGUMENTS + " arguments, "
                        + action + " has " + arguments.size());
            }
        }
    }

    /**
     * The end of a call or of a subscription request: the result, or an error.
     *
     * @param callId the id of the call or subscription it answers
     * @param status how it ended
     * @param value the result when {@code status} is {@link ReplyStatus#OK}, otherwise {@link
     *     WireValue#NULL}
     * @param errorType for errors: the remote exception's class name ({@link ReplyStatus#FAILED}),
     *     or the offending type; may be empty
     * @param message for errors: a readable explanation; empty for {@code OK}
     */
    record Reply(long callId, ReplyStatus status, WireValue value, String errorType, String message) implements Frame {
        /**
         * Validates the fields.
         *
         * @param callId the id answered
         * @param status the status
         * @param value the result or NULL
         * @param errorType the error's type or empty
         * @param message the error's message or empty
         */
        public Reply {
            checkId(callId, "callId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
            if (status != ReplyStatus.OK && !value.isNull()) {
                throw new IllegalArgumentException("an error reply (" + status + ") carries no value");
            }
        }

        /**
         * @param callId the call answered
         * @param value its result
         * @return a successful reply
         */
        public static Reply ok(long callId, WireValue value) {
            return new Reply(callId, ReplyStatus.OK, value, "", "");
        }

        /**
         * @param callId the call answered
         * @param status why it failed, not {@code OK}
         * @param errorType the exception's class name or the offending type, may be empty
         * @param message the explanation; cut to {@value FrameCodec#MAX_MESSAGE_BYTES} bytes when encoded
         * @return an error reply
         */
        public static Reply error(long callId, ReplyStatus status, String errorType, String message) {
            if (status == ReplyStatus.OK) {
                throw new IllegalArgumentException("an error reply needs a status other than OK");
            }
            return new Reply(callId, status, WireValue.NULL, errorType, message == null ? "" : message);
        }
    }

    /**
     * Asks for an exposed actor's state, events and end from now on, replacing any earlier
     * subscription of this caller to the same actor; all flags false ends it. Answered by a {@link
     * Reply} (OK, or why not), then a {@link State} snapshot when state was asked for.
     *
     * @param callId the id the reply refers to; in the same increasing sequence as calls
     * @param target the exposed actor's name
     * @param state whether to receive the state
     * @param events whether to receive the events
     * @param down whether to be told, by a {@link Stopped} frame, when the actor stops for good
     */
    record Subscribe(long callId, String target, boolean state, boolean events, boolean down) implements Frame {
        /**
         * Validates the fields.
         *
         * @param callId the id
         * @param target the actor
         * @param state state wanted
         * @param events events wanted
         * @param down its end wanted
         */
        public Subscribe {
            checkId(callId, "callId");
            checkName(target, "target");
        }
    }

    /**
     * The whole current state of a subscribed actor. Sequences increase strictly per subscription
     * (the Java node draws them from one counter per node, so a renewed subscription continues above the old one);
     * a receiver ignores a state whose sequence is not above the last it applied, so its view never
     * goes backwards. Updates that come faster than the link takes them are coalesced: only the
     * latest is sent.
     *
     * @param target the actor
     * @param sequence the position of this snapshot, at least 1
     * @param state the encoded state
     */
    record State(String target, long sequence, WireValue state) implements Frame {
        /**
         * Validates the fields.
         *
         * @param target the actor
         * @param sequence the sequence
         * @param state the state
         */
        public State {
            checkName(target, "target");
            checkId(sequence, "sequence");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * An event emitted by a subscribed actor. Sequences increase strictly per subscription; a
     * receiver drops an event whose sequence is not above the last it delivered (at most once, in
     * order).
     *
     * @param target the actor
     * @param sequence the position of this event, at least 1
     * @param name the event's name
     * @param payload the encoded payload
     */
    record Event(String target, long sequence, String name, WireValue payload) implements Frame {
        /**
         * Validates the fields.
         *
         * @param target the actor
         * @param sequence the sequence
         * @param name the event name
         * @param payload the payload
         */
        public Event {
            checkName(target, "target");
            checkId(sequence, "sequence");
            checkName(name, "name");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * An exposed actor stopped for good (its system closed, it was stopped, or it failed past its
     * restarts); sent once to each node that subscribed to its end. Its subscriptions end with it.
     *
     * @param target the actor
     * @param failed whether it stopped because it failed
     * @param errorType the failure's class name, empty when it stopped normally
     * @param message the failure's message, empty when it stopped normally
     */
    record Stopped(String target, boolean failed, String errorType, String message) implements Frame {
        /**
         * Validates the fields.
         *
         * @param target the actor
         * @param failed whether it failed
         * @param errorType the failure's type or empty
         * @param message the failure's message or empty
         */
        public Stopped {
            checkName(target, "target");
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Several frames in one transport message, so that a burst of small frames costs one message
     * (a relay counts messages against its rate limit). Each element is a complete frame, tag and
     * version included, and never a batch itself; the receiver decodes and handles them in order,
     * each on its own, so one bad inner frame costs only itself.
     *
     * @param frames the encoded frames, 1 to {@value FrameCodec#MAX_BATCH}; not copied
     */
    record Batch(List<byte[]> frames) implements Frame {
        /**
         * Validates and copies the list (not the arrays).
         *
         * @param frames the encoded frames
         */
        public Batch {
            frames = List.copyOf(frames);
            if (frames.isEmpty() || frames.size() > FrameCodec.MAX_BATCH) {
                throw new IllegalArgumentException(
                        "a batch holds 1 to " + FrameCodec.MAX_BATCH + " frames, not " + frames.size());
            }
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Batch that) || that.frames.size() != frames.size()) {
                return false;
            }
            for (int i = 0; i < frames.size(); i++) {
                if (!java.util.Arrays.equals(frames.get(i), that.frames.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (byte[] frame : frames) {
                hash = 31 * hash + java.util.Arrays.hashCode(frame);
            }
            return hash;
        }

        @Override
        public String toString() {
            return "Batch[" + frames.size() + " frames]";
        }
    }

    /**
     * One slice of a frame too large for one transport message. A sender cuts the encoded frame
     * of {@code totalLength} bytes into {@code count} consecutive non-empty slices numbered {@code
     * 0..count-1}, all with the same {@code messageId}; the receiver concatenates the slices in
     * index order and decodes the result as one frame (never a chunk or a batch). Every chunk repeats
     * {@code count} and {@code totalLength}, so that the receiver can check the stream and bound
     * its memory from whichever chunk arrives first.
     *
     * @param messageId the sender's id for the chunked frame on this link, at least 1
     * @param index this slice's position, {@code 0..count-1}
     * @param count the number of slices, 2 to {@value FrameCodec#MAX_CHUNKS}
     * @param totalLength the length of the whole frame, at least {@code count}
     * @param data this slice, not empty; not copied
     */
    record Chunk(long messageId, int index, int count, int totalLength, byte[] data) implements Frame {
        /**
         * Validates the header.
         *
         * @param messageId the id
         * @param index the position
         * @param count the number of slices
         * @param totalLength the whole frame's length
         * @param data the slice
         */
        public Chunk {
            checkId(messageId, "messageId");
            Objects.requireNonNull(data, "data");
            String problem = FrameCodec.chunkProblem(index, count, totalLength, data.length);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Chunk that
                    && that.messageId == messageId
                    && that.index == index
                    && that.count == count
                    && that.totalLength == totalLength
                    && java.util.Arrays.equals(that.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(messageId, index, count, totalLength) * 31 + java.util.Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Chunk[messageId=" + messageId + ", " + index + " of " + count + ", " + data.length + " of "
                    + totalLength + " bytes]";
        }
    }

    /**
     * "I am alive", sent by each node to each connected node at a fixed interval.
     *
     * @param incarnation a random number the sending node drew when it started; a new value means
     *     the node restarted and everything the receiver knew of it is gone
     */
    record Heartbeat(long incarnation) implements Frame {}

    private static void checkId(long id, String field) {
        if (id < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, was " + id);
        }
    }

    private static void checkName(String name, String field) {
        Objects.requireNonNull(name, field);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }
}
