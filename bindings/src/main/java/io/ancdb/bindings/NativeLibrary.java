package io.ancdb.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Finds and loads {@code libancdb.so} for the generated bindings
 * ({@code io.ancdb.bindings.internal.ancdb_h}). Hand-written, not generated.
 *
 * <p>Resolution order:
 * <ol>
 *   <li>{@code -Dancdb.library.path=/path/to/libancdb.so}: a library built by
 *       hand, used as-is (no copying, no checksum).</li>
 *   <li>Otherwise the library bundled as the classpath resource
 *       {@value #RESOURCE} (Linux x86-64 with glibc only), extracted to
 *       {@code -Dancdb.library.dir} (default {@code java.io.tmpdir/ancdb-<user>})
 *       under a name that contains its SHA-256, and loaded from there.</li>
 * </ol>
 *
 * <p>The library is loaded at most once per JVM, on first use, and never
 * unloaded. A failed attempt is not remembered: the next call tries again.
 */
public final class NativeLibrary {

    /** System property: explicit path of a libancdb.so to load as-is. */
    public static final String PATH_PROPERTY = "ancdb.library.path";
    /** System property: directory the bundled library is extracted to. */
    public static final String DIR_PROPERTY = "ancdb.library.dir";

    static final String RESOURCE = "/native/linux-x86_64/libancdb.so";

    private static final Object LOCK = new Object();
    private static volatile SymbolLookup lookup;
    private static volatile Path loadedPath;

    private NativeLibrary() {
    }

    /**
     * Loads the library (first call only) and returns a lookup of its symbols.
     *
     * @return a lookup of the loaded library's symbols
     * @throws UnsatisfiedLinkError if the library cannot be found, extracted
     *         or loaded; the message says what was tried and how to override it
     */
    public static SymbolLookup lookup() {
        SymbolLookup result = lookup;
        if (result != null) {
            return result;
        }
        synchronized (LOCK) {
            if (lookup == null) {
                String explicit = System.getProperty(PATH_PROPERTY, "");
                Path path = explicit.isEmpty() ? extractBundled() : explicitPath(explicit);
                lookup = load(path);
                loadedPath = path;
            }
            return lookup;
        }
    }

    /**
     * For diagnostics: where the library came from. Does not load it.
     *
     * @return the file the library was loaded from, or {@code null} if
     *         {@link #lookup()} has not succeeded yet
     */
    public static Path loadedPath() {
        return loadedPath;
    }

    private static Path explicitPath(String value) {
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new UnsatisfiedLinkError("-D" + PATH_PROPERTY + "=" + value
                    + " does not name a readable file (resolved to " + path + ")");
        }
        return path;
    }

    @SuppressWarnings("restricted") // needs --enable-native-access, like the downcalls
    private static SymbolLookup load(Path path) {
        try {
            // Arena.global(): the library must outlive every handle bound to it.
            return SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            // Typical cause: the extraction directory is on a noexec mount, so
            // dlopen cannot map the file executable.
            throw failure("cannot load native library " + path + ": " + e.getMessage()
                    + ". If the directory does not allow executable mappings (noexec),"
                    + " set -D" + DIR_PROPERTY + "=<another directory>, or build"
                    + " libancdb.so yourself and set -D" + PATH_PROPERTY
                    + "=/path/to/libancdb.so", e);
        }
    }

    private static Path extractBundled() {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        boolean linux = os.toLowerCase(Locale.ROOT).startsWith("linux");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean musl = linux && isMusl();
        if (!linux || !x64 || musl) {
            throw new UnsatisfiedLinkError("no bundled libancdb.so for this platform (os.name="
                    + os + ", os.arch=" + arch + (musl ? ", libc=musl" : "")
                    + "); the jar only carries linux-x86_64 (glibc). Build libancdb.so from"
                    + " source and run with -D" + PATH_PROPERTY + "=/path/to/libancdb.so");
        }

        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("resource " + RESOURCE + " is not on the classpath"
                        + " (jar built without the native library?); build libancdb.so and set -D"
                        + PATH_PROPERTY + "=/path/to/libancdb.so");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw failure("cannot read resource " + RESOURCE + ": " + e.getMessage(), e);
        }

        String sha = sha256(bytes);
        String configured = System.getProperty(DIR_PROPERTY, "");
        Path dir = configured.isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"),
                        "ancdb-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"))
                : Path.of(configured);
        // The hash in the name keeps different library versions (several jars,
        // several JVMs) from ever overwriting each other's file.
        Path target = dir.toAbsolutePath().resolve("libancdb-" + sha.substring(0, 16) + ".so");
        try {
            if (configured.isEmpty()) {
                createPrivateDir(dir);
            } else {
                Files.createDirectories(dir);
            }
            if (Files.isRegularFile(target) && sha.equals(sha256(Files.readAllBytes(target)))) {
                return target; // extracted earlier by this or another JVM
            }
            // Write beside the target, check, then rename: a concurrent JVM
            // never sees (or dlopens) a half-written library.
            Path tmp = Files.createTempFile(dir, "libancdb-", ".tmp");
            try {
                Files.write(tmp, bytes);
                if (!sha.equals(sha256(Files.readAllBytes(tmp)))) {
                    throw new IOException("checksum mismatch after writing " + tmp + " (disk full?)");
                }
                // Readable by others like an installed library, so a shared
                // ancdb.library.dir also works for other users.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException | RuntimeException e) {
            throw failure("cannot extract " + RESOURCE + " to " + target + ": " + e
                    + ". Set -D" + DIR_PROPERTY + "=<a writable directory>, or build"
                    + " libancdb.so yourself and set -D" + PATH_PROPERTY + "=/path/to/libancdb.so", e);
        }
    }

    /**
     * Creates the default extraction directory as owner-only, and refuses one
     * somebody else owns or can write: java.io.tmpdir is shared, and whoever
     * controls the directory could swap the library between our checksum
     * check and the load.
     *
     * @throws IOException if it cannot be created or is not private
     */
    private static void createPrivateDir(Path dir) throws IOException {
        Files.createDirectories(dir,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path probe = Files.createTempFile(dir, "owner-", ".probe"); // owned by us by definition
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (!Files.getOwner(dir).equals(Files.getOwner(probe))
                    || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(dir + " is not private to this user (owner "
                        + Files.getOwner(dir).getName() + ", " + PosixFilePermissions.toString(perms) + ")");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * musl (Alpine) cannot load a glibc-linked library. The musl loader file
     * alone is not proof, since Debian can install musl beside glibc, so also
     * ask whether the C library this JVM runs on is glibc.
     */
    private static boolean isMusl() {
        boolean muslLoader;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            muslLoader = s.iterator().hasNext();
        } catch (IOException | DirectoryIteratorException e) {
            muslLoader = false;
        }
        return muslLoader
                && Linker.nativeLinker().defaultLookup().find("gnu_get_libc_version").isEmpty();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every Java platform", e);
        }
    }

    private static UnsatisfiedLinkError failure(String message, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(message);
        error.initCause(cause);
        return error;
    }
}
