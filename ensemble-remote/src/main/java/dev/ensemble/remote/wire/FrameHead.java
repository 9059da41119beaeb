package dev.ensemble.remote.wire;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first fields of a frame read from its first bytes only, without the rest: what a receiver
 * needs to answer for a chunked value it dropped (the call id of a call or reply, the target and
 * action of a call, the target of a state or event). Lenient by design: a field that is not whole
 * in the bytes given, or not valid, is left empty, and nothing is thrown.
 *
 * @param kind the kind byte ({@code 0x01} tell … {@code 0x0A} chunk), or -1 if the bytes are not a
 *     version-1 remote frame
 * @param callId the call id of a tell, ask, reply or subscribe; 0 if absent or unreadable
 * @param target the target of a call, subscribe, state or event; empty if absent or unreadable
 * @param action the action of a tell or ask; empty if absent or unreadable
 */
public record FrameHead(int kind, long callId, String target, String action) {
    private static final FrameHead NONE = new FrameHead(-1, 0, "", "");

    /** @return whether this is a tell or an ask with a readable call id */
    public boolean isCall() {
        return (kind == FrameCodec.KIND_TELL || kind == FrameCodec.KIND_ASK) && callId > 0;
    }

    /** @return whether this is an ask with a readable call id */
    public boolean isAsk() {
        return kind == FrameCodec.KIND_ASK && callId > 0;
    }

    /** @return whether this is a reply with a readable call id */
    public boolean isReply() {
        return kind == FrameCodec.KIND_REPLY && callId > 0;
    }

    /** @return whether this is a state frame */
    public boolean isState() {
        return kind == FrameCodec.KIND_STATE;
    }

    /** @return whether this is an event frame */
    public boolean isEvent() {
        return kind == FrameCodec.KIND_EVENT;
    }

    /**
     * @param bytes the first bytes of a frame (any length)
     * @return what they show; kind -1 if they are not the start of a version-1 remote frame
     */
    public static FrameHead parse(byte[] bytes) {
        if (bytes == null
                || bytes.length < 3
                || (bytes[0] & 0xFF) != FrameCodec.TAG
                || (bytes[1] & 0xFF) != FrameCodec.VERSION) {
            return NONE;
        }
        int kind = bytes[2] & 0xFF;
        int[] at = {3};
        return switch (kind) {
            case FrameCodec.KIND_TELL, FrameCodec.KIND_ASK -> {
                long callId = varlong(bytes, at);
                String target = callId > 0 ? name(bytes, at) : "";
                String action = target.isEmpty() ? "" : name(bytes, at);
                yield new FrameHead(kind, callId, target, action);
            }
            case FrameCodec.KIND_REPLY -> new FrameHead(kind, varlong(bytes, at), "", "");
            case FrameCodec.KIND_SUBSCRIBE -> {
                long callId = varlong(bytes, at);
                yield new FrameHead(kind, callId, callId > 0 ? name(bytes, at) : "", "");
            }
            case FrameCodec.KIND_STATE, FrameCodec.KIND_EVENT -> new FrameHead(kind, 0, name(bytes, at), "");
            default -> new FrameHead(kind, 0, "", "");
        };
    }

    /** @return the varlong at {@code at[0]} (advancing it), or 0 if it is not whole or valid */
    private static long varlong(byte[] bytes, int[] at) {
        long value = 0;
        for (int i = 0; i < 9; i++) {
            int position = at[0] + i;
            if (position >= bytes.length) {
                return 0;
            }
            int b = bytes[position] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                at[0] = position + 1;
                return value < 0 ? 0 : value;
            }
        }
        return 0;
    }

    /** @return the name at {@code at[0]} (advancing it), or "" if it is not whole or valid UTF-8 */
    private static String name(byte[] bytes, int[] at) {
        if (at[0] >= bytes.length) {
            return "";
        }
        int length = bytes[at[0]] & 0xFF;
        if (length > 0x7F) {
            // Names are at most 255 bytes: a two-byte varint. Lengths above 127 are rare in heads.
            if (at[0] + 1 >= bytes.length) {
                return "";
            }
            length = (length & 0x7F) | ((bytes[at[0] + 1] & 0xFF) << 7);
            at[0]++;
        }
        int start = at[0] + 1;
        if (length > FrameCodec.MAX_NAME_BYTES || start + length > bytes.length) {
            return "";
        }
        at[0] = start + length;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Arrays.copyOfRange(bytes, start, start + length)))
                    .toString();
        } catch (CharacterCodingException e) {
            return "";
        }
    }
}
