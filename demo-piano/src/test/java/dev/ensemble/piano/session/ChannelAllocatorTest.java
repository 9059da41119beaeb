package dev.ensemble.piano.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelAllocatorTest {
    @Test
    void givesEachOfFifteenPlayersTheirOwnChannelAndNeverThePercussionChannel() {
        ChannelAllocator channels = new ChannelAllocator("me");
        assertEquals(0, channels.channelOf("me"));
        Set<Integer> used = new HashSet<>(Set.of(0));
        for (int i = 1; i < 15; i++) {
            int channel = channels.channelOf("p" + i);
            assertNotEquals(9, channel);
            used.add(channel);
        }
        assertEquals(15, used.size());
        assertNotEquals(9, channels.channelOf("sixteenth"));
        assertNotEquals(0, channels.channelOf("seventeenth"), "this player's channel is never shared");
    }

    @Test
    void reusesTheChannelOfAPlayerWhoLeft() {
        ChannelAllocator channels = new ChannelAllocator("me");
        int bob = channels.channelOf("bob");
        channels.free("bob");
        assertEquals(bob, channels.channelOf("carol"));
    }
}
