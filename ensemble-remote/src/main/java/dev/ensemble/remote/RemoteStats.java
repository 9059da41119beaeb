package dev.ensemble.remote;

/**
 * Counters of one {@link RemoteActors} since it started, for metrics and tests. Bad input is
 * counted here rather than thrown: it never breaks a link.
 *
 * @param framesSent frames handed to the transport
 * @param framesReceived frames received, valid or not
 * @param malformedFrames frames dropped because they did not decode ({@code FrameException})
 * @param callsServed calls from other nodes handed to a local actor
 * @param callsRefused calls from other nodes answered with an error (policy, unknown actor or
 *     action, bad arguments, unavailable, too large, a per-node limit)
 * @param outOfOrderDropped calls, states and events dropped because they arrived after a later
 *     one or twice (at most once, in order)
 * @param unknownReplies replies for no outstanding call (late after a timeout, duplicated, forged)
 * @param tellsRefused error replies to tells: the other node refused them (logged at WARN)
 * @param queueFull calls and events refused because an outgoing queue was full
 * @param nodesDown times a node was declared down
 * @param valuesChunked frames this node sent cut into chunks, being larger than a transport message
 * @param chunkStreamsDropped chunked values from other nodes dropped as invalid: over {@code
 *     maxValueSize}, over {@code maxPartialValues}, inconsistent totals or counts, conflicting or
 *     excess bytes, or not a valid frame once put together
 * @param chunkStreamsExpired chunked values from other nodes dropped because they were not complete
 *     within {@code reassemblyTimeout} of their first chunk
 * @param callsThrottled calls from other nodes refused for a per-node limit: the node already had
 *     {@code maxAsksInFlightPerNode} asks in flight here, or was above its {@code callRatePerNode}
 *     (also counted in {@code callsRefused})
 */
public record RemoteStats(
        long framesSent,
        long framesReceived,
        long malformedFrames,
        long callsServed,
        long callsRefused,
        long outOfOrderDropped,
        long unknownReplies,
        long tellsRefused,
        long queueFull,
        long nodesDown,
        long valuesChunked,
        long chunkStreamsDropped,
        long chunkStreamsExpired,
        long callsThrottled) {}
