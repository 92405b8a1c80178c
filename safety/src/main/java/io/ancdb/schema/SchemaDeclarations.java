package io.ancdb.schema;

/**
 * What a record definition declares in the file: its table, its indexes and
 * its tag indexes. Record definitions belong to the typed layer (their JSON is
 * its format), but the core needs to know two things from them: which tag
 * indexes every writer, the untyped API included, must keep in step, and what
 * the tables and indexes ANC-DB created are, so that opening a file builds its
 * catalog without parsing their {@code CREATE} text. So the catalog asks the
 * layer that owns definitions through this service
 * ({@link java.util.ServiceLoader}: {@code provides} in {@code module-info},
 * {@code META-INF/services} on the class path) instead of depending on it.
 */
public interface SchemaDeclarations {
    /**
     * What {@code definition} declares.
     *
     * @throws io.ancdb.CorruptionException when its text cannot be read
     */
    DeclaredSchema of(DefinedRecord definition);
}
