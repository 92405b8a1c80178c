package io.ancdb.store;

import io.ancdb.InvalidArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The tokens of a store's users, kept hashed: the file holds the SHA-256 of
 * each token, never the token itself. One token per line:
 *
 * <pre>
 * # comment
 * &lt;sha256 of the token, 64 lower-case hex digits&gt; &lt;read | read-write&gt; &lt;admin | party:NAME&gt;
 * </pre>
 *
 * e.g. {@code 5e8848...42d8 read-write party:acme}. Blank lines and lines
 * beginning with {@code #} are skipped; anything else that does not parse,
 * and a hash listed twice, fails the load naming the line. {@link #entry}
 * makes a line from a token.
 *
 * <p>Tokens are meant to be random (at least {@value #MIN_TOKEN_LENGTH}
 * characters, e.g. 32 random bytes in hex): an unsalted hash then reveals
 * nothing, while a short or guessable token could be found from its hash.
 */
public final class TokenFile {
    /** The shortest token {@link #entry} accepts. */
    public static final int MIN_TOKEN_LENGTH = 24;

    private final Map<String, Principal> byHash;

    private TokenFile(Map<String, Principal> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** Reads and checks a token file. */
    public static TokenFile load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw StoreFiles.failure("cannot read the token file", e);
        }
    }

    /** Parses the lines of a token file. */
    public static TokenFile parse(List<String> lines) {
        Map<String, Principal> byHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            if (w.length != 3) {
                throw bad(i, "expected <sha256-hex> <read|read-write> <admin|party:NAME>");
            }
            if (!w[0].matches("[0-9a-f]{64}")) {
                throw bad(i, "the first word must be a SHA-256 in 64 lower-case hex digits");
            }
            boolean readWrite = switch (w[1]) {
                case "read" -> false;
                case "read-write" -> true;
                default -> throw bad(i, "access must be read or read-write, not " + StoreNames.quoted(w[1]));
            };
            Principal p;
            if (w[2].equals("admin")) {
                p = Principal.admin(readWrite);
            } else if (w[2].startsWith("party:")) {
                String party = w[2].substring("party:".length());
                if (!PairNames.isParty(party)) {
                    throw bad(i, "invalid party name " + StoreNames.quoted(party));
                }
                p = Principal.party(party, readWrite);
            } else {
                throw bad(i, "the principal must be admin or party:NAME");
            }
            if (byHash.putIfAbsent(w[0], p) != null) {
                throw bad(i, "this token hash is listed twice");
            }
        }
        return new TokenFile(byHash);
    }

    private static InvalidArgumentException bad(int index, String what) {
        return new InvalidArgumentException("token file line " + (index + 1) + ": " + what);
    }

    /** The principal of {@code token}, or null when no line holds its hash. */
    public Principal authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        // A map lookup by digest: its timing depends on the digest of the guess, which an
        // attacker cannot steer towards a stored one, so it tells nothing about the tokens.
        return byHash.get(hash(token));
    }

    /** Number of tokens. */
    public int size() {
        return byHash.size();
    }

    /** The SHA-256 of a token's UTF-8 bytes, in lower-case hex. */
    public static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The token file line granting {@code p} to {@code token}. */
    public static String entry(String token, Principal p) {
        if (token == null || token.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidArgumentException("a token needs at least " + MIN_TOKEN_LENGTH
                    + " characters (use random bytes)");
        }
        return hash(token) + " " + (p.readWrite() ? "read-write" : "read") + " "
                + (p.isAdmin() ? "admin" : "party:" + p.party());
    }
}
