package io.ancdb.schema;

import java.util.List;

/**
 * Which tag indexes a record definition declares. Record definitions belong to
 * the typed layer (their JSON is its format), but every writer, the untyped
 * API included, must keep a definition's tag indexes in step. So the catalog
 * asks the layer that owns definitions through this service
 * ({@link java.util.ServiceLoader}: {@code provides} in {@code module-info},
 * {@code META-INF/services} on the class path) instead of depending on it.
 */
public interface TagIndexDeclarations {
    /**
     * The tag indexes {@code definition} declares.
     *
     * @throws io.ancdb.CorruptionException when its text cannot be read
     */
    List<TagIndex> of(DefinedRecord definition);
}
