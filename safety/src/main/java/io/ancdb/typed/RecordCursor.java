package io.ancdb.typed;

import io.ancdb.Row;
import io.ancdb.RowCursor;

import java.util.Iterator;
import java.util.function.Function;

/** Streams the records of a range scan, converted as they are read. Closed with its transaction. */
public final class RecordCursor<T> implements Iterator<T>, AutoCloseable {
    private final RowCursor rows;
    private final Function<Row, T> convert;

    RecordCursor(RowCursor rows, Function<Row, T> convert) {
        this.rows = rows;
        this.convert = convert;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public T next() {
        return convert.apply(rows.next());
    }

    @Override
    public void close() {
        rows.close();
    }
}
