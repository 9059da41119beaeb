package dev.ensemble.piano.cli;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;

/**
 * Readable names for new rooms, such as {@code amber-otter-42}: easy to read out to a friend,
 * and hard enough to guess that two rooms started at once do not meet by accident.
 *
 * <p>Thread-safe.
 */
final class RoomNames {
    private static final List<String> ADJECTIVES = List.of(
            "amber", "brave", "calm", "dusky", "eager", "fuzzy", "gentle", "happy", "indigo", "jolly", "keen", "lively",
            "mellow", "nimble", "olive", "plucky", "quiet", "rosy", "sunny", "tidy", "vivid", "witty", "young",
            "zesty");
    private static final List<String> ANIMALS = List.of(
            "badger", "crane", "dolphin", "egret", "falcon", "gecko", "heron", "ibis", "jaguar", "koala", "lemur",
            "marmot", "newt", "otter", "panda", "quail", "robin", "seal", "tapir", "urchin", "vole", "walrus", "yak",
            "zebra");
    private static final Random RANDOM = new SecureRandom();

    private RoomNames() {}

    /** @return a new name: adjective, animal and a number from 10 to 99, joined by dashes */
    static String random() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "-" + ANIMALS.get(RANDOM.nextInt(ANIMALS.size()))
                + "-" + (10 + RANDOM.nextInt(90));
    }
}
