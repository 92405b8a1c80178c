package io.ancdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that README.md shows a test's example verbatim: the lines between its README-BEGIN and README-END. */
public final class ReadmeCode {
    private ReadmeCode() {
    }

    /** {@code source}: the test's path from the safety module, e.g. "src/test/java/io/ancdb/ReadmeExampleTest.java". */
    public static void assertReadmeShows(String source) throws IOException {
        String text = Files.readString(Path.of(source));
        String code = text.substring(text.indexOf("// README-BEGIN") + 16, text.indexOf("    // README-END"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(normalize(readme).contains(normalize(code)),
                "README.md must show the example of " + Path.of(source).getFileName() + " verbatim (between README-BEGIN/END)");
    }

    private static String normalize(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
