package dev.ensemble.collab.storage;

/** Runs the storage contract against {@link InMemoryDocumentStorage}. */
class InMemoryDocumentStorageTest extends DocumentStorageContractTest {

    @Override
    protected DocumentStorage newStorage() {
        return new InMemoryDocumentStorage();
    }
}
