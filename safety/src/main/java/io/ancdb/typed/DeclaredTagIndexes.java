package io.ancdb.typed;

import io.ancdb.schema.DefinedRecord;
import io.ancdb.schema.IndexSpec;
import io.ancdb.schema.TagIndex;
import io.ancdb.schema.TagIndexDeclarations;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells the core's catalog which tag indexes a stored definition declares:
 * one per indexed {@code strlist} field. Found by {@link java.util.ServiceLoader}
 * ({@code provides} in {@code module-info}, {@code META-INF/services}).
 */
public final class DeclaredTagIndexes implements TagIndexDeclarations {
    /** For {@link java.util.ServiceLoader}. */
    public DeclaredTagIndexes() {
    }

    @Override
    public List<TagIndex> of(DefinedRecord definition) {
        RecordDefinition def = DefinitionJson.decode(definition.json());
        List<TagIndex> out = new ArrayList<>();
        for (IndexSpec is : def.toIndexSpecs()) {
            TagIndex t = asTagIndex(def, is);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Index {@code is} of {@code def} as a tag index, or null when it is a plain index. */
    static TagIndex asTagIndex(RecordDefinition def, IndexSpec is) {
        return def.isMultiValued(is.name()) ? new TagIndex(def.name(), is.name(), is.columns().getFirst()) : null;
    }
}
