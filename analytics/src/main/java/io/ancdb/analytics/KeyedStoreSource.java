package io.ancdb.analytics;

import io.ancdb.Database;
import io.ancdb.DatabaseKey;
import io.ancdb.DatabaseOptions;
import io.ancdb.IsolationLevel;
import io.ancdb.ReadTx;
import io.ancdb.store.AccessPolicy;
import io.ancdb.store.Principal;
import io.ancdb.store.StoreNames;
import io.ancdb.typed.Definitions;
import io.ancdb.typed.RecordTable;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * An encrypted store whose files all open with one store key (a passphrase,
 * or a raw key written {@code x'<64 hex>'}). The Store itself cannot open
 * keyed files yet (a {@link DatabaseKey} opens one file once, and per-file
 * keys derived from a master key are still to come), so this source opens
 * each file itself, read-only in spirit: one {@link Database} per read, a
 * fresh key per open, one read transaction, closed at the end. Access is
 * the same decision as the Store's ({@link AccessPolicy} on names).
 * Prefer a raw key: a passphrase costs PBKDF2's 256,000 iterations per file.
 */
public final class KeyedStoreSource implements StoreSource {
    private final Path dir;
    private final char[] key;
    private final Principal principal;

    /** Reads the store in {@code dir} with {@code key} (copied; wiped at close) as {@code principal} (null: owner). */
    public KeyedStoreSource(Path dir, char[] key, Principal principal) {
        this.dir = StoreDirectory.existing(dir);
        this.key = key.clone();
        this.principal = principal;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public List<String> names() {
        return StoreDirectory.names(dir).stream()
                .filter(n -> principal == null || AccessPolicy.allows(principal, AccessPolicy.Operation.READ, n))
                .toList();
    }

    @Override
    public <T> T read(String name, Function<Snapshot, T> fn) {
        StoreNames.requireValid(name);
        if (principal != null && !AccessPolicy.allows(principal, AccessPolicy.Operation.READ, name)) {
            throw new io.ancdb.store.UnauthorizedException();
        }
        DatabaseOptions options = DatabaseOptions.defaults().withCreate(false).withMaxReaders(1)
                .withKey(DatabaseKey.passphrase(key));
        try (Database db = Database.open(dir.resolve(name + StoreNames.FILE_SUFFIX), options);
             ReadTx tx = db.beginRead(IsolationLevel.READ_COMMITTED)) {
            long version = tx.userVersion();
            return fn.apply(new Snapshot() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public long version() {
                    return version;
                }

                @Override
                public ReadTx tx() {
                    return tx;
                }

                @Override
                public RecordTable records(String schema) {
                    return Definitions.of(db).find(tx, schema);
                }
            });
        }
    }

    @Override
    public boolean encrypted() {
        return true;
    }

    @Override
    public void close() {
        Arrays.fill(key, '\0');
    }
}
