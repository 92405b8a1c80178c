package io.ancdb.analytics;

import io.ancdb.ReadTx;
import io.ancdb.store.FileRead;
import io.ancdb.store.GuardedStore;
import io.ancdb.store.ListPage;
import io.ancdb.store.Principal;
import io.ancdb.store.Store;
import io.ancdb.typed.RecordTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A plaintext store read through {@link Store}: as the local owner (every
 * file) or through one principal's {@link GuardedStore} (only the files its
 * token reaches, decided by {@link io.ancdb.store.AccessPolicy} on names).
 */
public final class PlainStoreSource implements StoreSource {
    private final Store store;
    private final GuardedStore guarded;
    private final boolean ownsStore;

    private PlainStoreSource(Store store, Principal principal, boolean ownsStore) {
        this.store = store;
        this.guarded = principal == null ? null : new GuardedStore(store, principal);
        this.ownsStore = ownsStore;
    }

    /** Reads {@code store} (kept open by the caller) as {@code principal}; null: the local owner. */
    public static PlainStoreSource of(Store store, Principal principal) {
        return new PlainStoreSource(store, principal, false);
    }

    /** Opens the store in {@code dir} (which must exist) and reads it as {@code principal}; null: the local owner. */
    public static PlainStoreSource open(Path dir, Principal principal) {
        return new PlainStoreSource(Store.open(StoreDirectory.existingStore(dir)), principal, true);
    }

    @Override
    public Path directory() {
        return store.directory();
    }

    @Override
    public List<String> names() {
        List<String> out = new ArrayList<>();
        String after = null;
        do {
            ListPage page = guarded == null ? store.list(null, after, Store.MAX_PAGE)
                    : guarded.list(null, after, Store.MAX_PAGE);
            out.addAll(page.names());
            after = page.next();
        } while (after != null);
        return out;
    }

    @Override
    public <T> T read(String name, Function<Snapshot, T> fn) {
        Function<FileRead, T> inRead = r -> fn.apply(new Snapshot() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long version() {
                return r.version();
            }

            @Override
            public ReadTx tx() {
                return r.tx();
            }

            @Override
            public RecordTable records(String schema) {
                return r.tx().catalog().record(schema) == null ? null : r.records(schema);
            }
        });
        return guarded == null ? store.read(name, inRead) : guarded.read(name, inRead);
    }

    @Override
    public boolean encrypted() {
        return false;
    }

    /** The store, for writers (bulk import); null when reading as a principal. */
    Store store() {
        return store;
    }

    GuardedStore guarded() {
        return guarded;
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }
}
