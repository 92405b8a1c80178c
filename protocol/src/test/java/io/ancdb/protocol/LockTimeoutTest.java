package io.ancdb.protocol;

import io.ancdb.Database;
import io.ancdb.DatabaseOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ancdb.protocol.Msg.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --lock-timeout} bounds the wait for a lock another process holds:
 * the stock sqlite3 shell, in its own process, holds {@code BEGIN EXCLUSIVE}
 * and lets go a few seconds later. A server that waited longer than its lock
 * timeout would then get the lock and answer 0; one that keeps to it answers
 * 5 while the shell still holds the file. (Before the fix the database kept
 * its own 5 s busy timeout whatever --lock-timeout said.)
 */
@Timeout(120)
class LockTimeoutTest {
    private static final long RELEASE_AFTER_MS = 4000;

    @TempDir
    Path dir;

    @Test
    void lockTimeoutZeroNeverWaitsForAnotherProcess() throws Exception {
        assertEquals(List.of(5, 5), underShellLock("0", DatabaseOptions.JournalMode.DELETE));
    }

    @Test
    void lockTimeoutBoundsTheWaitForAnotherProcess() throws Exception {
        assertEquals(List.of(5, 5), underShellLock("1", DatabaseOptions.JournalMode.DELETE));
    }

    @Test
    void aLongerLockTimeoutWaitsForTheShellToLetGo() throws Exception {
        assertEquals(List.of(0, 0), underShellLock("20", DatabaseOptions.JournalMode.DELETE));
    }

    /** WAL (the default): the shell's write lock bounds the write; the read goes on beside it at once. */
    @Test
    void inWalModeOnlyTheWriteWaits() throws Exception {
        assertEquals(List.of(5, 0), underShellLock("1", DatabaseOptions.JournalMode.WAL));
    }

    /**
     * Statuses of a write and a read sent while the shell holds the file (it lets go after RELEASE_AFTER_MS),
     * the file opened as {@code serve --lock-timeout S --journal MODE} opens it.
     */
    private List<Integer> underShellLock(String lockTimeout, DatabaseOptions.JournalMode mode) throws Exception {
        Path file = dir.resolve("lock-" + lockTimeout + ".db");
        Main.Options o = Main.parse(new String[] {"serve", "--db", file.toString(), "--lock-timeout", lockTimeout,
                "--journal", mode.name().toLowerCase(Locale.ROOT)}, Map.of());
        assertEquals(mode, o.storage().journalMode());
        try (Database db = Database.open(file, Main.databaseOptions(o));
             CommandDispatcher d = new CommandDispatcher(db, o.limits(), null)) {
            Msg.resp(d.handle(Msg.pack(map("cmd", 0x20, "schema", "L", "fields",
                    List.of(map("name", "id", "type", "i64", "primary_key", true)))))).ok();
            Msg.resp(d.handle(Msg.pack(map("cmd", 3, "schema", "L", "record", map("id", 1))))).ok();
            int write;
            int read;
            try (ShellLock lock = ShellLock.hold(file)) {
                lock.releaseLater(RELEASE_AFTER_MS);
                write = Msg.resp(d.handle(Msg.pack(map("cmd", 3, "schema", "L", "record", map("id", 2))))).status();
                read = Msg.resp(d.handle(Msg.pack(map("cmd", 1, "schema", "L", "key", 1)))).status();
            }
            return List.of(write, read);
        }
    }

    /** The sqlite3 shell holding BEGIN EXCLUSIVE (in DELETE mode readers are kept out too) until released. */
    private static final class ShellLock implements AutoCloseable {
        private final Process process;
        private final OutputStream in;

        private ShellLock(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
        }

        static ShellLock hold(Path file) throws IOException {
            Process p = new ProcessBuilder("sqlite3", "-batch", file.toString()).redirectErrorStream(true).start();
            ShellLock lock = new ShellLock(p);
            lock.send("BEGIN EXCLUSIVE;\nSELECT 'held';\n");
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"held".equals(line)) {
                p.destroyForcibly();
                throw new IOException("the sqlite3 shell did not take the lock: " + line);
            }
            return lock;
        }

        /** Commits (lets go of the lock) after {@code ms}, on its own thread. */
        void releaseLater(long ms) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(ms);
                    send("COMMIT;\n");
                } catch (InterruptedException | IOException e) {
                    process.destroyForcibly();
                }
            });
        }

        private void send(String sql) throws IOException {
            synchronized (in) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
        }

        @Override
        public void close() throws Exception {
            try {
                send(".quit\n");
                in.close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
