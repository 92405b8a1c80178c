package io.ancdb.bindings;

import io.ancdb.bindings.internal.ancdb_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loader: the library loads once per JVM, so this JVM checks what it
 * loaded; child JVMs check the {@code ancdb.library.dir} /
 * {@code ancdb.library.path} properties from a fresh start.
 */
class NativeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void versionsAreTheShimsAndThePinnedSqlites() {
        assertEquals(10000, ancdb_h.ancdb_version());
        assertEquals(3052000, ancdb_h.ancdb_sqlite_version());
    }

    @Test
    void loadedLibraryIsTheBundledResource() throws Exception {
        ancdb_h.ancdb_version();                        // first use loads it
        Path loaded = NativeLibrary.loadedPath();
        assertNotNull(loaded, "loadedPath() after a successful downcall");
        assertTrue(loaded.isAbsolute(), loaded.toString());
        assertTrue(Files.isRegularFile(loaded), loaded.toString());
        String explicit = System.getProperty(NativeLibrary.PATH_PROPERTY, "");
        if (!explicit.isEmpty()) {
            assertEquals(Path.of(explicit).toAbsolutePath(), loaded);
            return;
        }
        byte[] resource = resourceBytes();
        String sha = sha256(resource);
        assertEquals(sha, sha256(Files.readAllBytes(loaded)), "extracted file differs from the jar resource");
        assertEquals("libancdb-" + sha.substring(0, 16) + ".so", loaded.getFileName().toString());
        assertSame(NativeLibrary.lookup(), NativeLibrary.lookup(), "loaded once, cached");
        assertTrue(NativeLibrary.lookup().find("ancdb_open").isPresent());
        assertTrue(NativeLibrary.lookup().find("sqlite3BtreeOpen").isEmpty(), "SQLite internals stay hidden");
    }

    @Test
    void errstrDescribesCodes() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(128);
            assertEquals(ancdb_h.ANCDB_OK, ancdb_h.ancdb_errstr(ancdb_h.ANCDB_OK, buf, 128));
            assertEquals("not an error", buf.getString(0));
            assertEquals(ancdb_h.ANCDB_OK, ancdb_h.ancdb_errstr(ancdb_h.ANCDB_MISUSE, buf, 128));
            assertEquals("bad parameter or other API misuse", buf.getString(0));
            assertEquals(ancdb_h.ANCDB_OK, ancdb_h.ancdb_errstr(ancdb_h.ANCDB_CORRUPT, buf, 128));
            assertEquals("database disk image is malformed", buf.getString(0));
            assertEquals(ancdb_h.ANCDB_OK, ancdb_h.ancdb_errstr(12345, buf, 128));
            assertFalse(buf.getString(0).isEmpty());
            assertEquals(ancdb_h.ANCDB_OK, ancdb_h.ancdb_errstr(ancdb_h.ANCDB_MISUSE, buf, 4));
            assertEquals("bad", buf.getString(0), "truncated to nBuf with the NUL");
        }
    }

    // --- fresh JVMs ---------------------------------------------------------------

    @Test
    void extractsIntoConfiguredDirectoryAndReusesTheFile() throws Exception {
        Path libDir = dir.resolve("libs");             // does not exist yet: created
        String sha = sha256(resourceBytes());
        Path target = libDir.resolve("libancdb-" + sha.substring(0, 16) + ".so");

        Child first = runChild("-D" + NativeLibrary.DIR_PROPERTY + "=" + libDir);
        assertEquals(0, first.exit, first.output);
        assertTrue(first.output.contains("LOADED " + target.toAbsolutePath()), first.output);
        assertTrue(first.output.contains("VERSION 10000 3052000"), first.output);
        assertEquals(sha, sha256(Files.readAllBytes(target)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var s = Files.list(libDir)) {
            assertEquals(List.of(target.getFileName().toString()),
                    s.map(p -> p.getFileName().toString()).toList(), "no temp files left behind");
        }

        // A damaged copy under the right name is replaced, not loaded.
        Files.write(target, "not a library".getBytes(StandardCharsets.US_ASCII));
        Child second = runChild("-D" + NativeLibrary.DIR_PROPERTY + "=" + libDir);
        assertEquals(0, second.exit, second.output);
        assertTrue(second.output.contains("VERSION 10000 3052000"), second.output);
        assertEquals(sha, sha256(Files.readAllBytes(target)));
    }

    @Test
    void unusableLibraryDirectoryNamesTheProperty() throws Exception {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Child c = runChild("-D" + NativeLibrary.DIR_PROPERTY + "=" + notADir.resolve("sub"));
        assertEquals(3, c.exit, c.output);
        assertTrue(c.output.contains("UnsatisfiedLinkError"), c.output);
        assertTrue(c.output.contains("-D" + NativeLibrary.DIR_PROPERTY + "="), c.output);
        assertTrue(c.output.contains(NativeLibrary.PATH_PROPERTY), c.output);
    }

    @Test
    void missingExplicitLibraryPathNamesTheProperty() throws Exception {
        Path missing = dir.resolve("nowhere").resolve("libancdb.so");
        Child c = runChild("-D" + NativeLibrary.PATH_PROPERTY + "=" + missing);
        assertEquals(3, c.exit, c.output);
        assertTrue(c.output.contains("-D" + NativeLibrary.PATH_PROPERTY + "=" + missing), c.output);
    }

    @Test
    void explicitLibraryPathIsLoadedAsIs() throws Exception {
        Path lib = dir.resolve("my-libancdb.so");
        Files.write(lib, resourceBytes());
        Child c = runChild("-D" + NativeLibrary.PATH_PROPERTY + "=" + lib);
        assertEquals(0, c.exit, c.output);
        assertTrue(c.output.contains("LOADED " + lib.toAbsolutePath()), c.output);
        assertTrue(c.output.contains("VERSION 10000 3052000"), c.output);
    }

    /** Entry point of the child JVMs. Exit 0 and prints LOADED/VERSION, or exit 3 with the error. */
    public static final class ChildMain {
        public static void main(String[] args) {
            try {
                int v = ancdb_h.ancdb_version();
                int s = ancdb_h.ancdb_sqlite_version();
                System.out.println("LOADED " + NativeLibrary.loadedPath());
                System.out.println("VERSION " + v + " " + s);
            } catch (Throwable t) {
                Throwable e = t;
                while (e instanceof ExceptionInInitializerError && e.getCause() != null) {
                    e = e.getCause();
                }
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
                System.exit(3);
            }
        }
    }

    private record Child(int exit, String output) {
    }

    private Child runChild(String... props) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(props));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child JVM hung: " + out);
        }
        return new Child(p.exitValue(), out);
    }

    private static byte[] resourceBytes() throws IOException {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(NativeLibrary.RESOURCE)) {
            assertNotNull(in, "resource " + NativeLibrary.RESOURCE + " on the test classpath");
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
