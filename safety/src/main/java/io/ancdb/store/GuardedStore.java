package io.ancdb.store;

import io.ancdb.KeyRange;
import io.ancdb.store.AccessPolicy.Operation;
import io.ancdb.typed.RecordDefinition;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Store} as one principal may use it: every call asks
 * {@link AccessPolicy} first and, when refused, throws
 * {@link UnauthorizedException} before touching the disk, so a refusal reads
 * the same for a file that exists and one that does not. Listings and
 * pattern scans show only the names the principal may read. (Names are
 * checked for validity before access: an invalid name is refused as such,
 * which tells nothing about any file.)
 */
public final class GuardedStore {
    private final Store store;
    private final Principal principal;

    public GuardedStore(Store store, Principal principal) {
        if (store == null || principal == null) {
            throw new io.ancdb.InvalidArgumentException("a guarded store needs a store and a principal");
        }
        this.store = store;
        this.principal = principal;
    }

    public Principal principal() {
        return principal;
    }

    private String require(Operation op, String name) {
        if (name != null) {
            StoreNames.requireValid(name);
        }
        if (!AccessPolicy.allows(principal, op, name)) {
            throw new UnauthorizedException();
        }
        return name;
    }

    private boolean readable(String name) {
        return AccessPolicy.allows(principal, Operation.READ, name);
    }

    public FileRead beginRead(String name) {
        return store.beginRead(require(Operation.READ, name));
    }

    public FileWrite beginWrite(String name, long expectVersion) {
        return store.beginWrite(require(Operation.WRITE, name), expectVersion);
    }

    public <T> T read(String name, Function<FileRead, T> fn) {
        return store.read(require(Operation.READ, name), fn);
    }

    public long write(String name, long expectVersion, Consumer<FileWrite> fn) {
        return store.write(require(Operation.WRITE, name), expectVersion, fn);
    }

    public FileStats stats(String name) {
        return store.stats(require(Operation.READ, name));
    }

    /** One page of the names this principal may read. */
    public ListPage list(String glob, String after, int limit) {
        return store.list(glob, after, limit, this::readable);
    }

    public MergedScan scan(List<String> names, String schema, KeyRange range) {
        names.forEach(n -> require(Operation.READ, n));
        return store.scan(names, schema, range);
    }

    /** A scan of the databases matching {@code glob} that this principal may read. */
    public MergedScan scan(String glob, String schema, KeyRange range) {
        return store.scan(glob, schema, range, this::readable);
    }

    /** Defines a schema of database {@code name} only (needs write access to it). */
    public void define(String name, RecordDefinition def) {
        store.define(require(Operation.WRITE, name), def);
    }

    /** Defines a store schema (administrators with read-write only). */
    public void define(RecordDefinition def) {
        require(Operation.ADMIN, null);
        store.define(def);
    }

    /**
     * The raw key of encrypted database {@code name} ({@link Store#rawKey}):
     * for whoever may read the file, its two parties and administrators.
     */
    public char[] rawKey(String name) {
        return store.rawKey(require(Operation.READ, name));
    }

    /** Drops database {@code name} (administrators with read-write only). */
    public boolean drop(String name) {
        return store.drop(require(Operation.ADMIN, name));
    }
}
