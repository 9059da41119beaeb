package dev.ensemble.benchmarks.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ensemble.benchmarks.collab.BenchmarkReport;
import dev.ensemble.testkit.process.ChildProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepoSuiteTest {

    @Test
    void aTinyRunSyncsBothWorkloadsThroughBothServersAndReportsEveryRatio() throws Exception {
        Path nodeDirectory = nodeSideOrSkip();
        BenchmarkReport report = new BenchmarkReport(null);
        // No jar: our server runs from this class path (the tests run before the jar is packaged).
        RepoSuite suite = new RepoSuite(new RepoSettings(5, 300, 1, 1), report, nodeDirectory, Path.of("no-such.jar"));

        Map<String, PhaseResult> medians = suite.run();

        assertEquals(8, medians.size(), medians.toString());
        for (Map.Entry<String, PhaseResult> phase : medians.entrySet()) {
            assertTrue(phase.getValue().millis() > 0, phase.toString());
            assertTrue(phase.getValue().bytesUp() > 0 && phase.getValue().bytesDown() > 0, phase.toString());
        }
        // The paper's upload carries the document's 301 changes: far more than the request for it.
        PhaseResult paperUpload = medians.get("paper/ensemble/upload");
        assertTrue(
                paperUpload.bytesUp() > medians.get("paper/ensemble/download").bytesUp(), medians.toString());
        assertTrue(
                report.value("ratio", RepoSuite.DOCS_RATIO).orElseThrow() > 0,
                report.lines().toString());
        assertTrue(
                report.value("ratio", RepoSuite.PAPER_RATIO).orElseThrow() > 0,
                report.lines().toString());
        assertTrue(report.value("result", "repo-sync-1000-docs-node-download-bytes-down")
                .isPresent());
    }

    @Test
    void theMedianOfEachFieldIsTakenOnItsOwn() {
        PhaseResult median = RepoSuite.median(
                List.of(new PhaseResult(3, 10, 300), new PhaseResult(1, 30, 100), new PhaseResult(2, 20, 200)));

        assertEquals(new PhaseResult(2, 20, 200), median);
    }

    @Test
    void quickKeepsSizesGivenOnTheCommandLine() {
        assertEquals(
                new RepoSettings(7, 20_000, 2, 3),
                RepoSettings.parse(new String[] {"--quick", "--docs", "7", "--rounds", "2"}));
        assertEquals(RepoSettings.FULL, RepoSettings.parse(new String[0]));
    }

    @Test
    void rejectsAnUnknownArgumentNamingIt() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RepoSettings.parse(new String[] {"--fast"}));

        assertEquals("unknown argument '--fast' (expected --quick, --docs N or --rounds N)", error.getMessage());
    }

    @Test
    void rejectsANumberThatIsNotOne() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RepoSettings.parse(new String[] {"--docs", "many"}));

        assertEquals("--docs needs a number but got 'many'", error.getMessage());
    }

    @Test
    void rejectsZeroDocuments() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RepoSettings.parse(new String[] {"--docs", "0"}));

        assertEquals("documents must be at least 1 but is 0", error.getMessage());
    }

    /** The Node side, or the test is skipped without node or its packages (in CI that fails instead). */
    private static Path nodeSideOrSkip() {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean node = ChildProcess.findOnPath("node").isPresent();
        Path directory = null;
        String problem = null;
        try {
            directory = RepoSuite.locateNodeDirectory();
        } catch (IllegalStateException e) {
            problem = e.getMessage();
        }
        if (ci && (!node || problem != null)) {
            throw new IllegalStateException("CI must provide node and the repo suite's npm packages; node found: "
                    + node + "; " + (problem == null ? "packages found" : problem));
        }
        assumeTrue(node, "node is not on PATH");
        assumeTrue(problem == null, problem);
        return directory;
    }
}
