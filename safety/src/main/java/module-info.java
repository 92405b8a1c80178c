/**
 * The safe API: {@code Database}, transactions, cursors and records
 * ({@code io.ancdb}, {@code io.ancdb.schema}, {@code io.ancdb.record}) and
 * typed records over them ({@code io.ancdb.typed}); a directory of such
 * files addressed by name ({@code io.ancdb.store}). The native handles
 * ({@code io.ancdb.internal}) are not exported.
 *
 * <p>The core packages do not depend on {@code io.ancdb.typed}: the catalog
 * learns what a record definition declares (its table, indexes and tag
 * indexes) through the {@link io.ancdb.schema.SchemaDeclarations} service,
 * which the typed layer provides.
 */
@SuppressWarnings("requires-automatic")     // lz4-java names its module only in its manifest
module io.ancdb.safety {
    requires io.ancdb.bindings;
    requires org.lz4.java;
    requires com.fasterxml.jackson.core;

    exports io.ancdb;
    exports io.ancdb.record;
    exports io.ancdb.schema;
    exports io.ancdb.store;
    exports io.ancdb.typed;

    uses io.ancdb.schema.SchemaDeclarations;
    provides io.ancdb.schema.SchemaDeclarations with io.ancdb.typed.DeclaredSchemas;
}
