package io.ancdb.reliability;

import io.ancdb.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No key bytes stay in the Java heap after the keys were used and their
 * databases and stores closed, checked on heap dumps of a child JVM
 * ({@link HeapKeyChild}) rather than by trusting the wipes: a dump sees every
 * copy, including the ones a library (the JDK's HMAC and PBKDF2 among them)
 * makes behind the wipes we wrote. Searched for, in raw bytes, lower-case hex
 * as Latin-1 and as UTF-16 (both byte orders), whole and by halves: the raw
 * database key, both passphrases, the key SQLCipher derives from the file
 * passphrase, the store master keys (the raw one, and the one PBKDF2 makes
 * from the store passphrase), HKDF's pseudorandom keys and every store file's
 * key. Three canaries the child keeps alive must be found, so the search is
 * known to see a key in each form (and without the wipes it found the store
 * passphrase and its PBKDF2 output in the JDK's PBKDF2 key object, the file
 * keys as Strings made by the raw-key export, a file key in an unwiped copy
 * and another in the JDK's HMAC digest state: the fixes are in NativeDb,
 * StoreKeys, Pbkdf2 and Hkdf#scrub).
 *
 * <p>Two dumps: all objects before any collection (an unwiped temporary
 * array of ours would show), and after a full collection. Native memory (the
 * SQLCipher layer's copies) is not in the heap; the C side wipes it, tested
 * by {@code make test-cipher}.
 */
class HeapKeyTest {
    private static final byte[] HKDF_SALT = "ancdb store file keys v1".getBytes(StandardCharsets.US_ASCII);
    private static final String SCHEMA_FILE = ".ancdb-store.db";

    @TempDir
    Path dir;

    @Test
    void noKeyBytesInTheHeapAfterClose() throws Exception {
        long seed = TestSeeds.seed("HeapKeyTest", "reliability.seed", System.nanoTime() & 0xFFFFFFL);
        Path before = dir.resolve("before-gc.hprof");
        Path after = dir.resolve("after-gc.hprof");
        runChild(seed, before, after);

        Map<String, byte[]> secrets = secrets(seed);
        for (Path dump : List.of(before, after)) {
            String heap = new String(Files.readAllBytes(dump), StandardCharsets.ISO_8859_1);
            List<String> canaries = new ArrayList<>();
            byte[] canary = HeapKeyChild.canary(seed);
            for (String form : List.of("bytes", "hex", "hex UTF-16BE")) {
                if (!found(heap, form, canary)) {
                    canaries.add(form);
                }
            }
            assertEquals(List.of(), canaries, dump.getFileName() + ": the live canary key is not found as");
            List<String> leaks = leaks(heap, secrets);
            System.out.println("HeapKeyTest: " + dump.getFileName() + " (" + heap.length() / 1024 + " kB): searched "
                    + secrets.size() + " secrets, found " + (leaks.isEmpty() ? "none" : leaks) + "; canaries found");
            if (!leaks.isEmpty()) {
                Path keep = Files.createDirectories(Path.of("target", "heap-key-failures"));
                Files.copy(dump, keep.resolve("seed-" + seed + "-" + dump.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            assertEquals(List.of(), leaks, dump.getFileName() + ": key bytes left in the heap (the dump is kept under "
                    + "safety/target/heap-key-failures)");
        }
    }

    /**
     * Runs the child; once it is ready, dumps its heap with jcmd, all objects,
     * reachable or not and no collection first, to {@code before}, then after
     * two full collections (the JDK's Cleaners wipe what they own in between)
     * to {@code after}.
     */
    private void runChild(long seed, Path before, Path after) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path stderr = dir.resolve("child.stderr");
        Process p = new ProcessBuilder(ChildJvm.plain("96m").command(HeapKeyChild.class.getName(), List.of(),
                work.toString(), Long.toString(seed)))
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            assertEquals("ready", line, "the child failed: " + ChildJvm.tail(stderr, 4000));
            jcmd(p.pid(), "GC.heap_dump", "-all", before.toString());
            jcmd(p.pid(), "GC.run");
            Thread.sleep(300);
            jcmd(p.pid(), "GC.run");
            jcmd(p.pid(), "GC.heap_dump", "-all", after.toString());
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not exit");
            }
            assertEquals(0, p.exitValue(), "the child failed: " + ChildJvm.tail(stderr, 4000));
        } finally {
            p.destroyForcibly();
        }
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(120, TimeUnit.SECONDS) || j.exitValue() != 0) {
            j.destroyForcibly();
            throw new AssertionError("jcmd " + String.join(" ", command) + " failed: " + out);
        }
    }

    /** Every secret the child used, and every key derived from them, by name. */
    private Map<String, byte[]> secrets(long seed) throws Exception {
        Path work = dir.resolve("work");
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("raw database key", HeapKeyChild.rawKey(seed));
        byte[] pass = utf8(HeapKeyChild.passphrase(seed));
        s.put("database passphrase", pass);
        s.put("SQLCipher key of the passphrase", pbkdf2(pass, salt(work.resolve("passphrase.db"))));
        storeSecrets(s, "raw master", HeapKeyChild.masterKey(seed), work.resolve("store"));
        byte[] storePass = utf8(HeapKeyChild.storePassphrase(seed));
        s.put("store passphrase", storePass);
        Path passStore = work.resolve("passphrase-store");
        storeSecrets(s, "passphrase master", pbkdf2(storePass, salt(passStore.resolve(SCHEMA_FILE))), passStore);
        return s;
    }

    /** The store's master key, HKDF's pseudorandom key and every file's key (RFC 5869 in two HMAC steps). */
    private static void storeSecrets(Map<String, byte[]> s, String what, byte[] master, Path store)
            throws GeneralSecurityException {
        s.put(what + " key", master);
        byte[] prk = hmac(HKDF_SALT, master);
        s.put(what + " HKDF PRK", prk);
        List<String> files = new ArrayList<>(List.of(SCHEMA_FILE));
        for (String name : HeapKeyChild.STORE_FILES) {
            files.add(name + ".db");
        }
        for (String f : files) {
            byte[] info = Arrays.copyOf(f.getBytes(StandardCharsets.US_ASCII), f.length() + 1);
            info[f.length()] = 1;                      // T(1) = HMAC(PRK, info | 0x01): the 32-byte key
            s.put(what + " key of " + f, hmac(prk, info));
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** PBKDF2-HMAC-SHA512(passphrase, salt, 256,000, 32 bytes): SQLCipher 4's and the store's. */
    private static byte[] pbkdf2(byte[] passphrase, byte[] salt) throws GeneralSecurityException {
        char[] chars = new String(passphrase, StandardCharsets.US_ASCII).toCharArray();
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(chars, salt, 256_000, 256)).getEncoded();
    }

    private static byte[] salt(Path file) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(file), 16);
    }

    private static byte[] utf8(char[] chars) {
        return new String(chars).getBytes(StandardCharsets.UTF_8);
    }

    /** "name (form)" of every secret found in {@code heap}, whole or by halves. */
    private static List<String> leaks(String heap, Map<String, byte[]> secrets) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            for (String form : List.of("bytes", "hex", "hex UTF-16BE", "hex UTF-16LE", "UTF-16BE", "UTF-16LE")) {
                if (found(heap, form, e.getValue())) {
                    found.add(e.getKey() + " (" + form + ")");
                }
            }
        }
        return found;
    }

    /** True if {@code secret} in {@code form}, or either half of it, is in {@code heap}. */
    private static boolean found(String heap, String form, byte[] secret) {
        int h = secret.length / 2;
        for (byte[] part : List.of(secret, Arrays.copyOfRange(secret, 0, h), Arrays.copyOfRange(secret, h, secret.length))) {
            if (heap.contains(encode(form, part))) {
                return true;
            }
        }
        return false;
    }

    private static String encode(String form, byte[] b) {
        String hex = HexFormat.of().formatHex(b);
        byte[] out = switch (form) {
            case "bytes" -> b;
            case "hex" -> hex.getBytes(StandardCharsets.ISO_8859_1);
            case "hex UTF-16BE" -> hex.getBytes(StandardCharsets.UTF_16BE);
            case "hex UTF-16LE" -> hex.getBytes(StandardCharsets.UTF_16LE);
            // text secrets (passphrases) as a char[] or a non-Latin-1 String holds them
            case "UTF-16BE" -> new String(b, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_16BE);
            case "UTF-16LE" -> new String(b, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_16LE);
            default -> throw new IllegalArgumentException(form);
        };
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
