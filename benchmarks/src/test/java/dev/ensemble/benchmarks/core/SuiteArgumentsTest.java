package dev.ensemble.benchmarks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SuiteArgumentsTest {
    @Test
    void noArgumentsRunTheDefaultPartsWithFullSettings() {
        SuiteArguments arguments = SuiteArguments.parse();
        assertEquals(Set.of("pingpong", "inspect", "ask", "spawn", "idle"), arguments.parts());
        assertEquals(SuiteSettings.FULL, arguments.settings());
    }

    @Test
    void quickOnlyAndIdleActorsCombine() {
        SuiteArguments arguments = SuiteArguments.parse("--quick", "--only", "jmh,idle", "--idle-actors", "1000000");
        assertEquals(Set.of("jmh", "idle"), arguments.parts());
        assertEquals(1_000_000, arguments.settings().idleActors());
        assertEquals(SuiteSettings.QUICK.measuredRounds(), arguments.settings().measuredRounds());
    }

    @Test
    void rejectsAnUnknownPartNamingItAndTheKnownOnes() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> SuiteArguments.parse("--only", "ask,pong"));
        assertEquals(
                "--only takes parts of [pingpong, inspect, ask, spawn, idle] and [jmh], but \"pong\" is none of them",
                error.getMessage());
    }

    @Test
    void rejectsAnOptionWithoutItsValue() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> SuiteArguments.parse("--quick", "--idle-actors"));
        assertEquals("--idle-actors needs a value; usage: " + SuiteArguments.USAGE, error.getMessage());
    }

    @Test
    void rejectsANonNumericOrNonPositiveActorCount() {
        assertEquals(
                "--idle-actors takes a whole number, but was \"lots\"",
                assertThrows(IllegalArgumentException.class, () -> SuiteArguments.parse("--idle-actors", "lots"))
                        .getMessage());
        assertEquals(
                "--idle-actors must be at least 1, but was 0",
                assertThrows(IllegalArgumentException.class, () -> SuiteArguments.parse("--idle-actors", "0"))
                        .getMessage());
    }

    @Test
    void rejectsAnUnknownArgument() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> SuiteArguments.parse("--fast"));
        assertEquals("unknown argument \"--fast\"; usage: " + SuiteArguments.USAGE, error.getMessage());
    }
}
