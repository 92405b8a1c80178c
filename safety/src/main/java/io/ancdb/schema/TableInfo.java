package io.ancdb.schema;

import java.util.List;

/**
 * A table as found in sqlite_schema: its definition, root page, indexes and
 * whether ANC-DB may write it (it can keep every index of it consistent).
 */
public record TableInfo(TableSpec spec, int root, List<IndexInfo> indexes, boolean writable) {
    public TableInfo {
        indexes = List.copyOf(indexes);
    }

    public String name() {
        return spec.name();
    }

    TableInfo withIndex(IndexInfo idx) {
        List<IndexInfo> all = new java.util.ArrayList<>(indexes);
        all.add(idx);
        return new TableInfo(spec, root, all, writable && idx.maintainable());
    }
}
