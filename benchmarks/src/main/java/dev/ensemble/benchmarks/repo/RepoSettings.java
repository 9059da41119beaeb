package dev.ensemble.benchmarks.repo;

/**
 * The sizes of a {@link RepoSuite} run.
 *
 * @param documents small documents in the many-documents workload
 * @param traceEdits edits of the automerge-paper trace in the paper document, or -1 for all
 * @param rounds rounds, each running both servers (the medians are reported)
 * @param referenceAttempts attempts at one round of the reference Node server, which has stalled
 *     under load (each failed attempt is reported); our server gets one, so a failure of ours always
 *     fails the run
 */
record RepoSettings(int documents, int traceEdits, int rounds, int referenceAttempts) {
    /** The full run: 1,000 documents, the whole trace, three rounds. */
    static final RepoSettings FULL = new RepoSettings(1_000, -1, 3, 3);
    /** {@code --quick}: 100 documents, the first 20,000 edits, one round. */
    static final RepoSettings QUICK = new RepoSettings(100, 20_000, 1, 3);

    RepoSettings {
        if (documents < 1) {
            throw new IllegalArgumentException("documents must be at least 1 but is " + documents);
        }
        if (traceEdits < -1 || traceEdits == 0) {
            throw new IllegalArgumentException("trace edits must be positive (or -1 for all) but is " + traceEdits);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1 but is " + rounds);
        }
        if (referenceAttempts < 1) {
            throw new IllegalArgumentException("reference attempts must be at least 1 but is " + referenceAttempts);
        }
    }

    /**
     * Parses {@code [--quick] [--docs N] [--rounds N]}; the sizes given win over --quick's.
     *
     * @throws IllegalArgumentException naming an unknown argument or a bad number
     */
    static RepoSettings parse(String[] args) {
        boolean quick = false;
        Integer documents = null;
        Integer rounds = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--docs" -> documents = number(args, ++i, "--docs");
                case "--rounds" -> rounds = number(args, ++i, "--rounds");
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument '" + args[i] + "' (expected --quick, --docs N or --rounds N)");
            }
        }
        RepoSettings base = quick ? QUICK : FULL;
        return new RepoSettings(
                documents == null ? base.documents() : documents,
                base.traceEdits(),
                rounds == null ? base.rounds() : rounds,
                base.referenceAttempts());
    }

    private static int number(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a number");
        }
        try {
            return Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number but got '" + args[index] + "'");
        }
    }
}
