package io.ancdb.typed;

import io.ancdb.schema.DeclaredSchema;
import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.SchemaDeclarations;
import io.ancdb.schema.TagIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells the core's catalog what a stored definition declares: its table, its
 * plain indexes and one tag index per indexed {@code strlist} field. Found by
 * {@link java.util.ServiceLoader} ({@code provides} in {@code module-info},
 * {@code META-INF/services}).
 */
public final class DeclaredSchemas implements SchemaDeclarations {
    /** For {@link java.util.ServiceLoader}. */
    public DeclaredSchemas() {
    }

    @Override
    public DeclaredSchema of(DefinedRecord definition) {
        return DefinitionCache.decode(definition.json()).declared();
    }

    /** What {@code def} declares. */
    static DeclaredSchema of(RecordDefinition def) {
        List<IndexSpec> plain = new ArrayList<>();
        List<TagIndex> tags = new ArrayList<>();
        for (IndexSpec is : def.toIndexSpecs()) {
            TagIndex t = asTagIndex(def, is);
            if (t != null) {
                tags.add(t);
            } else {
                plain.add(is);
            }
        }
        return new DeclaredSchema(def.toTableSpec(), plain, tags);
    }

    /** Index {@code is} of {@code def} as a tag index, or null when it is a plain index. */
    static TagIndex asTagIndex(RecordDefinition def, IndexSpec is) {
        return def.isMultiValued(is.name()) ? new TagIndex(def.name(), is.name(), is.columns().getFirst()) : null;
    }
}
