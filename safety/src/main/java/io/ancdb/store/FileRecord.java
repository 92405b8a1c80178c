package io.ancdb.store;

import java.util.Map;

/**
 * A record of a cross-file scan and the database it came from.
 *
 * @param db     the database (file) name
 * @param record the record, field name to value (as {@link io.ancdb.typed.RecordTable} returns it)
 */
public record FileRecord(String db, Map<String, Object> record) {
}
