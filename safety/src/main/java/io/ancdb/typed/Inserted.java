package io.ancdb.typed;

/**
 * What one insert did.
 *
 * @param key     the record's key: the one given, or the one generated for it
 * @param written true when the record was written; false when
 *                {@link io.ancdb.OnConflict#IGNORE} kept the record already stored under {@code key}
 * @param <K>     the key's Java type ({@link FieldType#apiClass()} of the key field)
 */
public record Inserted<K>(K key, boolean written) {
}
