package io.ancdb;

import io.ancdb.bindings.NativeLibrary;
import io.ancdb.schema.SchemaDeclarations;
import io.ancdb.typed.DeclaredSchemas;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering, checked on the compiled classes: the core packages never
 * refer to the typed layer or the store, the typed layer never refers to the
 * store, and the module descriptors export neither the native handles nor the
 * raw bindings.
 */
class ModuleBoundaryTest {
    /** Packages above the core, which the core must not refer to. */
    private static final Set<String> ABOVE_THE_CORE = Set.of("io/ancdb/typed", "io/ancdb/store", "io/ancdb/demo");

    @Test
    void coreClassesNeverReferToTheTypedLayer() throws IOException {
        Map<String, List<String>> offenders = new TreeMap<>();
        int checked = forEachClass(name -> ABOVE_THE_CORE.stream().noneMatch(name::startsWith), (name, bytes) -> {
            List<String> refs = references(bytes, "io/ancdb/typed/");
            refs.addAll(references(bytes, "io/ancdb/store/"));
            if (!refs.isEmpty()) {
                offenders.put(name, refs);
            }
        });
        assertTrue(checked > 40, "found only " + checked + " core classes");
        assertEquals(Map.of(), offenders, "core classes referring to io.ancdb.typed or io.ancdb.store");
    }

    @Test
    void theTypedLayerNeverRefersToTheStore() throws IOException {
        Map<String, List<String>> offenders = new TreeMap<>();
        int checked = forEachClass(name -> name.startsWith("io/ancdb/typed/"), (name, bytes) -> {
            List<String> refs = references(bytes, "io/ancdb/store/");
            if (!refs.isEmpty()) {
                offenders.put(name, refs);
            }
        });
        assertTrue(checked > 10, "found only " + checked + " typed classes");
        assertEquals(Map.of(), offenders, "typed classes referring to io.ancdb.store");
    }

    /** Calls {@code check} with the name and bytes of every class file of the safety module {@code which} accepts. */
    private static int forEachClass(Predicate<String> which, BiConsumer<String, String> check) throws IOException {
        Path classes = classesOf(Database.class);
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes.resolve("io/ancdb"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (which.test(name)) {
                    checked++;
                    check.accept(name, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return checked;
    }

    /**
     * The names under {@code prefix} a class file refers to: every class,
     * method or field it uses is named in its constant pool, as
     * io/ancdb/typed/... (descriptors: Lio/ancdb/typed/...;).
     */
    private static List<String> references(String bytes, String prefix) {
        List<String> refs = new ArrayList<>();
        for (int i = bytes.indexOf(prefix); i >= 0; i = bytes.indexOf(prefix, i + 1)) {
            int end = i;
            while (end < bytes.length() && isNameChar(bytes.charAt(end))) {
                end++;
            }
            refs.add(bytes.substring(i, end));
        }
        return refs;
    }

    @Test
    void safetyModuleExportsTheApiButNotTheNativeHandles() throws Exception {
        ModuleDescriptor m = descriptorOf(Database.class);
        assertEquals("io.ancdb.safety", m.name());
        assertEquals(Set.of("io.ancdb", "io.ancdb.record", "io.ancdb.schema", "io.ancdb.typed", "io.ancdb.store"),
                exported(m));
        assertTrue(m.packages().contains("io.ancdb.internal"));
        assertTrue(m.exports().stream().noneMatch(e -> e.source().equals("io.ancdb.internal")));
        assertTrue(m.opens().isEmpty());
        assertEquals(Set.of(SchemaDeclarations.class.getName()), m.uses());
        assertEquals(List.of(DeclaredSchemas.class.getName()), m.provides().stream()
                .filter(p -> p.service().equals(SchemaDeclarations.class.getName()))
                .findFirst().orElseThrow().providers());
    }

    @Test
    void bindingsModuleExportsTheRawBindingsToTheSafeLayerOnly() throws Exception {
        ModuleDescriptor m = descriptorOf(NativeLibrary.class);
        assertEquals("io.ancdb.bindings", m.name());
        assertEquals(Set.of("io.ancdb.bindings"), exported(m));
        ModuleDescriptor.Exports raw = m.exports().stream()
                .filter(e -> e.source().equals("io.ancdb.bindings.internal")).findFirst().orElseThrow();
        assertEquals(Set.of("io.ancdb.safety"), raw.targets());
    }

    @Test
    void theTypedLayerIsFoundAsAServiceOnTheClassPath() {
        // As ancdb.jar runs: on the class path, through META-INF/services.
        List<SchemaDeclarations> found = ServiceLoader.load(SchemaDeclarations.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size());
        assertInstanceOf(DeclaredSchemas.class, found.getFirst());
        assertFalse(Database.class.getModule().isNamed(), "tests run on the class path (see the parent pom)");
    }

    private static boolean isNameChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '/');
    }

    /** Packages exported to everyone. */
    private static Set<String> exported(ModuleDescriptor m) {
        return m.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    private static ModuleDescriptor descriptorOf(Class<?> c) {
        Path where = classesOf(c);
        return ModuleFinder.of(where).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in " + where)).descriptor();
    }

    /** The directory or jar {@code c} was loaded from. */
    private static Path classesOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
