package dev.ensemble.remote.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the first fields of a frame from its first bytes, leniently. */
class FrameHeadTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aWholeCallGivesItsIdTargetAndAction() {
        byte[] ask = FrameCodec.encode(new Frame.Call(true, 300, "counter", "total", List.of()));
        FrameHead head = FrameHead.parse(ask);
        assertEquals(new FrameHead(FrameCodec.KIND_ASK, 300, "counter", "total"), head);
        assertTrue(head.isCall() && head.isAsk());
    }

    @Test
    void aCallCutInsideItsNamesStillGivesItsId() {
        // The tell vector of PROTOCOL.md, cut inside "increment".
        byte[] tell = HEX.parseHex("5201010107636f756e74657209696e6372656d656e740103696e740102");
        FrameHead head = FrameHead.parse(Arrays.copyOf(tell, 15));
        assertEquals(new FrameHead(FrameCodec.KIND_TELL, 1, "counter", ""), head);
        assertTrue(head.isCall());
        assertFalse(head.isAsk());
    }

    @Test
    void aReplyGivesItsId() {
        FrameHead head = FrameHead.parse(HEX.parseHex("520103ac020003696e740107"));
        assertTrue(head.isReply());
        assertEquals(300, head.callId());
    }

    @Test
    void aStateGivesItsTarget() {
        FrameHead head = FrameHead.parse(HEX.parseHex("52010507636f756e7465720103696e7402182a"));
        assertTrue(head.isState());
        assertEquals("counter", head.target());
    }

    @Test
    void bytesThatAreNotAFrameOrCutInTheIdGiveNothingToAnswer() {
        assertEquals(-1, FrameHead.parse(new byte[100]).kind());
        assertEquals(-1, FrameHead.parse(new byte[0]).kind());
        assertEquals(-1, FrameHead.parse(null).kind());
        assertEquals(-1, FrameHead.parse(HEX.parseHex("520201")).kind(), "another version");
        FrameHead cut = FrameHead.parse(HEX.parseHex("520102ac"));
        assertFalse(cut.isCall(), "the call id is not whole");
        FrameHead zero = FrameHead.parse(HEX.parseHex("5201020007636f756e746572"));
        assertFalse(zero.isCall(), "call id 0 is invalid");
        FrameHead badUtf8 = FrameHead.parse(HEX.parseHex("52010201" + "02c328"));
        assertEquals("", badUtf8.target());
    }
}
