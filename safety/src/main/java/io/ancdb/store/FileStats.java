package io.ancdb.store;

import java.util.List;

/**
 * One database of a store.
 *
 * @param name     its name
 * @param bytes    size of the database file
 * @param walBytes size of its WAL (0 without one)
 * @param version  its version (see {@link Store#beginWrite(String, long)})
 * @param schemas  the record schemas it holds, in definition order
 */
public record FileStats(String name, long bytes, long walBytes, long version, List<String> schemas) {
}
