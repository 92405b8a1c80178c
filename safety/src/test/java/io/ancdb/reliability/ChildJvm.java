package io.ancdb.reliability;

import io.ancdb.bindings.NativeLibrary;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Command lines for child JVMs running a main class of the test sources with
 * this JVM's classpath and {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>Start-up is what a kill -9 loop pays for on every kill, so children are
 * started lean: C1 only, serial GC, no perf data, the native library this
 * JVM already extracted ({@code -Dancdb.library.path}, no second extraction
 * and checksum), and, unless {@code -Dreliability.aot=false}, an AOT cache
 * (JDK 25, JEP 483/514) recorded by one training run of the worker: the
 * classes come loaded and linked from the cache. An AOT cache accepts only
 * jar files on the classpath, so the classpath directories (target/classes,
 * target/test-classes) are first packed into one jar. If anything about the
 * cache fails the children simply run without it.
 */
final class ChildJvm {
    private final List<String> prefix;       // java + options + -cp CP
    private final boolean aot;

    private ChildJvm(List<String> prefix, boolean aot) {
        this.prefix = List.copyOf(prefix);
        this.aot = aot;
    }

    /** True when the children run from an AOT cache. */
    boolean aot() {
        return aot;
    }

    /** The command that runs {@code mainClass} with {@code args}. */
    List<String> command(String mainClass, List<String> extraJvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(prefix.subList(0, prefix.size() - 2));
        cmd.addAll(extraJvmOptions);
        cmd.addAll(prefix.subList(prefix.size() - 2, prefix.size()));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Base options of every child JVM (heap: {@code heap}, e.g. "128m"). */
    static List<String> baseOptions(String heap) {
        List<String> o = new ArrayList<>();
        o.add(javaBinary());
        o.add("--enable-native-access=ALL-UNNAMED");
        o.add("--sun-misc-unsafe-memory-access=allow");
        o.add("-XX:TieredStopAtLevel=1");
        o.add("-XX:+UseSerialGC");
        o.add("-XX:-UsePerfData");
        o.add("-Xss2m");
        o.add("-Xmx" + heap);
        // JVM warnings (an AOT cache it cannot use, say) to stderr: stdout is the workers' protocol.
        o.add("-Xlog:disable");
        o.add("-Xlog:all=warning:stderr");
        NativeLibrary.lookup();
        Path lib = NativeLibrary.loadedPath();
        if (lib != null) {
            o.add("-D" + NativeLibrary.PATH_PROPERTY + "=" + lib);
        }
        return o;
    }

    /** Children without an AOT cache, on this JVM's classpath as it is. */
    static ChildJvm plain(String heap) {
        List<String> p = baseOptions(heap);
        p.add("-cp");
        p.add(System.getProperty("java.class.path"));
        return new ChildJvm(p, false);
    }

    /**
     * Children with an AOT cache recorded by running {@code mainClass trainArgs}
     * once (it must exit 0); falls back to {@link #plain} on any failure or
     * when {@code -Dreliability.aot=false}.
     */
    static ChildJvm withAotCache(Path workDir, String heap, String mainClass, String... trainArgs) {
        if (!Boolean.parseBoolean(System.getProperty("reliability.aot", "true"))) {
            return plain(heap);
        }
        try {
            Files.createDirectories(workDir);
            String cp = jarredClasspath(workDir);
            Path cache = workDir.resolve("child.aot");
            Files.deleteIfExists(cache);
            List<String> train = baseOptions(heap);
            train.add("-XX:AOTCacheOutput=" + cache);
            train.add("-cp");
            train.add(cp);
            train.add(mainClass);
            train.addAll(List.of(trainArgs));
            Path log = workDir.resolve("aot-training.log");
            Process p = new ProcessBuilder(train).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                System.err.println("[reliability] AOT training timed out; children run without a cache");
                return plain(heap);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(cache)) {
                System.err.println("[reliability] AOT training failed (exit " + p.exitValue()
                        + "); children run without a cache:\n" + tail(log, 2000));
                return plain(heap);
            }
            List<String> prefix = baseOptions(heap);
            prefix.add("-XX:AOTCache=" + cache);
            prefix.add("-cp");
            prefix.add(cp);
            return new ChildJvm(prefix, true);
        } catch (IOException e) {
            System.err.println("[reliability] cannot prepare the AOT cache (" + e + "); children run without one");
            return plain(heap);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return plain(heap);
        }
    }

    /** This JVM's classpath with every directory packed into {@code workDir/classes.jar}. */
    private static String jarredClasspath(Path workDir) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                dirs.add(p);
            } else if (Files.isRegularFile(p)) {
                out.add(p.toAbsolutePath().toString());
            }
        }
        if (!dirs.isEmpty()) {
            Path jar = workDir.resolve("classes.jar");
            Set<String> seen = new HashSet<>();
            try (JarOutputStream jo = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Path d : dirs) {
                    Files.walkFileTree(d, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                            String name = d.relativize(f).toString().replace(File.separatorChar, '/');
                            if (seen.add(name)) {
                                jo.putNextEntry(new JarEntry(name));
                                Files.copy(f, jo);
                                jo.closeEntry();
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
                }
            }
            out.addFirst(jar.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    static String tail(Path file, int chars) {
        try {
            String s = Files.readString(file);
            return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }
}
