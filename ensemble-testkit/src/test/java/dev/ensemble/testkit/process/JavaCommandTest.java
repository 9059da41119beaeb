package dev.ensemble.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaCommandTest {

    @Test
    void runsTheMainClassWithThisJdkAndClassPathOptionsFirst() {
        JavaCommand plain = JavaCommand.of(ScriptedMain.class);
        JavaCommand command =
                plain.jvmOptions("-Xmx64m").args("out:a").jvmOptions("-Dx=y").args(List.of("exit:0"));

        assertEquals(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx64m",
                        "-Dx=y",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ScriptedMain.class.getName(),
                        "out:a",
                        "exit:0"),
                command.toList());
        assertEquals("ScriptedMain out:a exit:0", command.toString());
        assertEquals("ScriptedMain", plain.toString(), "each method returns a new command");
    }
}
