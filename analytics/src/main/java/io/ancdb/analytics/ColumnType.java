package io.ancdb.analytics;

import io.ancdb.typed.FieldDef;
import io.ancdb.typed.FieldType;
import org.duckdb.DuckDBAppender;

import java.sql.SQLException;
import java.util.List;

/**
 * The DuckDB type of a record field, and how its API value (as
 * {@link io.ancdb.typed.ValueCodec#fromStored} decodes it: LZ4 content
 * decompressed, vectors as float[], i8vec dequantized, strlist as a list)
 * is appended. Two fields are the same column when their DuckDB types are
 * equal (compressed or not, f32vec or i8vec).
 */
enum ColumnType {
    BIGINT("BIGINT"),
    UBIGINT("UBIGINT"),
    DOUBLE("DOUBLE"),
    BOOLEAN("BOOLEAN"),
    VARCHAR("VARCHAR"),
    BLOB("BLOB"),
    FLOAT_LIST("FLOAT[]"),
    VARCHAR_LIST("VARCHAR[]");

    final String sql;

    ColumnType(String sql) {
        this.sql = sql;
    }

    static ColumnType of(FieldDef f) {
        return of(f.type());
    }

    static ColumnType of(FieldType t) {
        return switch (t) {
            case I64 -> BIGINT;
            case U64 -> UBIGINT;             // the long holds the unsigned bits, as the appender takes them
            case F64 -> DOUBLE;
            case BOOL -> BOOLEAN;
            case STR -> VARCHAR;
            case BYTES -> BLOB;
            case F32VEC, I8VEC -> FLOAT_LIST;
            case STRLIST -> VARCHAR_LIST;
        };
    }

    /** Appends {@code v} (an API value of this column's type, or null) as the row's next value. */
    void append(DuckDBAppender a, Object v) throws SQLException {
        if (v == null) {
            a.appendNull();
            return;
        }
        switch (this) {
            case BIGINT, UBIGINT -> a.append((long) (Long) v);
            case DOUBLE -> a.append((double) (Double) v);
            case BOOLEAN -> a.append((boolean) (Boolean) v);
            case VARCHAR -> a.append((String) v);
            case BLOB -> a.append((byte[]) v);
            case FLOAT_LIST -> a.append((float[]) v);
            case VARCHAR_LIST -> a.append((List<?>) v);
        }
    }
}
