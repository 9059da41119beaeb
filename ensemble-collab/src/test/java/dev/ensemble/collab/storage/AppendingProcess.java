package dev.ensemble.collab.storage;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The writer that {@link KilledWriterTest} kills: appends numbered changes forever, compacting
 * every few, and prints each number on stdout only after its append returned, so every printed
 * number is one that storage reported saved.
 *
 * <p>Arguments: storage directory, first number, compact every n appends.
 */
public final class AppendingProcess {

    static final String DOCUMENT = "killed";

    private AppendingProcess() {}

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        int compactEvery = Integer.parseInt(args[2]);
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            StoredDocument stored = storage.load(DOCUMENT);
            Set<Long> numbers = new TreeSet<>(DocumentStorageContractTest.contents(stored));
            for (long number = first; ; number++) {
                long sequence = storage.append(DOCUMENT, DocumentStorageContractTest.change(number));
                numbers.add(number);
                System.out.println(number);
                System.out.flush();
                if ((number - first + 1) % compactEvery == 0) {
                    storage.compact(DOCUMENT, DocumentStorageContractTest.snapshotOf(numbers), sequence);
                }
            }
        }
    }
}
