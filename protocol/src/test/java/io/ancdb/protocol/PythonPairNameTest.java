package io.ancdb.protocol;

import io.ancdb.InvalidArgumentException;
import io.ancdb.protocol.TransportTestSupport.Result;
import io.ancdb.store.PairNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Python client's {@code anc_db.pair_name(a, b)} gives the name Java's
 * {@link PairNames#pair} gives, and refuses what it refuses: hand-picked edge
 * cases plus random ones (seed printed; replay with -Dancdb.pairs.seed=N).
 */
class PythonPairNameTest {
    private static final String ALPHABET = "acmz09_-.AZ\u0435 /";
    private static final List<String> EDGES = List.of("acme", "globex", "a", "0", "a-b", "a_b", "-a", "a-",
            "acme-wal", "acme-shm", "acme-journal", "acme-wal2", "acme-mj0f", "acme-mjx", "con", "com1", "lpt9",
            "cons", "Acme", "ac.me", "", "x".repeat(60), "x".repeat(61), "glob\u0435x", "a b", "a/b", "a..b");

    @Test
    @Timeout(60)
    void pythonAndJavaAgreeOnEveryPair() throws Exception {
        TransportTestSupport.requirePythonMsgpack();
        long seed = Long.getLong("ancdb.pairs.seed", System.nanoTime());
        System.out.println("PythonPairNameTest seed " + seed + " (replay: -Dancdb.pairs.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<String[]> pairs = new ArrayList<>();
        for (String a : EDGES) {
            for (String b : List.of("acme", "globex", "x".repeat(60), a)) {
                pairs.add(new String[] {a, b});
                pairs.add(new String[] {b, a});
            }
        }
        for (int i = 0; i < 500; i++) {
            pairs.add(new String[] {random(rnd), random(rnd)});
        }
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (String[] p : pairs) {
            input.append(escape(p[0])).append('\t').append(escape(p[1])).append('\n');
            expected.add(java(p[0], p[1]));
        }
        Path in = Files.createTempFile("pairs", ".tsv");
        try {
            Files.writeString(in, input);
            String script = "import sys; sys.path.insert(0, sys.argv[1]); import anc_db\n"
                    + "for line in open(sys.argv[2], encoding='utf-8').read().split('\\n')[:-1]:\n"
                    + "    a, b = [x.encode('ascii').decode('unicode_escape') for x in line.split('\\t')]\n"
                    + "    try:\n"
                    + "        print(anc_db.pair_name(a, b))\n"
                    + "    except ValueError:\n"
                    + "        print('REFUSED')\n";
            Result r = TransportTestSupport.run(List.of(TransportTestSupport.PYTHON, "-c", script,
                    TransportTestSupport.pythonClientDir().toString(), in.toString()), Duration.ofSeconds(30));
            assertEquals(0, r.code(), r::stderr);
            List<String> got = List.of(r.stdout().split("\n", -1)).subList(0, pairs.size());
            for (int i = 0; i < pairs.size(); i++) {
                assertEquals(expected.get(i), got.get(i), "pair_name(" + escape(pairs.get(i)[0]) + ", "
                        + escape(pairs.get(i)[1]) + "), seed " + seed);
            }
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private static String java(String a, String b) {
        try {
            return PairNames.pair(a, b);
        } catch (InvalidArgumentException e) {
            return "REFUSED";
        }
    }

    private static String random(Random rnd) {
        int n = rnd.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Non-ASCII and control characters as \\uXXXX, so the file is ASCII (Python reads it back with unicode_escape). */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
