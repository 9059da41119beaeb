/**
 * The automerge-repo suite ({@code benchmarks/run repo}): a Node automerge-repo client syncs many
 * small documents and one long-history document through our sync server and through the reference
 * Node sync server, and the suite compares time and bytes on the wire.
 */
package dev.ensemble.benchmarks.repo;
