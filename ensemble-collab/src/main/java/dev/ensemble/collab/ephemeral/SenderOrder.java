package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides, per sender, whether a frame is new: it is if its epoch is later than the last one
 * delivered from that sender, or the same epoch with a higher sequence number. Anything else is a
 * duplicate or was overtaken, and is dropped so that delivery never goes backwards.
 *
 * <p>Owned by one actor and used only in its turns; not thread-safe.
 */
final class SenderOrder {
    /** Per sender: {epoch, last delivered sequence}. Grows with the peers ever heard from. */
    private final Map<PeerId, long[]> last = new HashMap<>();

    /**
     * @return true (and remembers the frame) if it is newer than everything delivered from
     *     {@code sender}
     */
    boolean accept(PeerId sender, long epoch, long sequence) {
        long[] seen = last.get(sender);
        if (seen == null) {
            last.put(sender, new long[] {epoch, sequence});
            return true;
        }
        int byEpoch = Long.compareUnsigned(epoch, seen[0]);
        if (byEpoch < 0 || (byEpoch == 0 && Long.compareUnsigned(sequence, seen[1]) <= 0)) {
            return false;
        }
        seen[0] = epoch;
        seen[1] = sequence;
        return true;
    }
}
