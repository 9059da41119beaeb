/** Storage benchmarks: append with fsync and document reload, against the plain-file minimum. */
package dev.ensemble.benchmarks.storage;
