package io.ancdb.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks Auth tokens against the server's token, compared as SHA-256
 * digests in constant time ({@link MessageDigest#isEqual}; the digest also
 * hides the token's length). Without a token every session starts with full
 * access.
 */
final class Authenticator {
    private final byte[] tokenHash;

    /** @param token the token every session must present first (Auth), or null for none */
    Authenticator(String token) {
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the auth token must not be empty (null: no authentication)");
        }
        this.tokenHash = token == null ? null : sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Whom a new session acts for before any Auth. */
    Principal initial() {
        return tokenHash == null ? Principal.ADMIN : Principal.NOBODY;
    }

    /** Whom {@code token} (the bytes sent, or null) authenticates; null when it is wrong. */
    Principal authenticate(byte[] token) {
        if (tokenHash == null) {
            return Principal.ADMIN;
        }
        return token != null && MessageDigest.isEqual(sha256(token), tokenHash) ? Principal.ADMIN : null;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
