package dev.ensemble.signaling.protocol;

/**
 * The rule for room names: 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9} and
 * {@code . _ ~ : @ / + = -}. The rule keeps names safe in logs, metrics, URLs and the one-byte length
 * of a {@link RelayFrame}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RoomName {

    /** Longest allowed room name, in characters (and bytes, since all allowed characters are ASCII). */
    public static final int MAX_LENGTH = 128;

    private RoomName() {}

    /** Whether {@code room} follows the rule. */
    public static boolean isValid(String room) {
        if (room == null || room.isEmpty() || room.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < room.length(); i++) {
            if (!isAllowed(room.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code room} if it follows the rule.
     *
     * @throws MalformedMessageException naming the rule and the offending value
     */
    public static String check(String room) throws MalformedMessageException {
        if (!isValid(room)) {
            throw new MalformedMessageException("room must be 1.." + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is " + SignalingCodec.quote(room));
        }
        return room;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || ".-_~:@/+=".indexOf(c) >= 0;
    }
}
