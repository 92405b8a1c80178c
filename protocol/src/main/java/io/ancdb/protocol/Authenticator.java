package io.ancdb.protocol;

import io.ancdb.store.TokenFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks Auth tokens: against the server's token (an administrator),
 * compared as SHA-256 digests in constant time ({@link MessageDigest#isEqual};
 * the digest also hides the token's length), then against a store's token
 * file (a party or an administrator, read or read-write). Without either
 * every session starts with full access.
 */
final class Authenticator {
    private final byte[] tokenHash;
    private final TokenFile tokens;

    /** @param token the token every session must present first (Auth), or null for none */
    Authenticator(String token) {
        this(token, null);
    }

    /**
     * @param token  the administrator's token, or null
     * @param tokens a store's token file, or null
     */
    Authenticator(String token, TokenFile tokens) {
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the auth token must not be empty (null: no authentication)");
        }
        this.tokenHash = token == null ? null : sha256(token.getBytes(StandardCharsets.UTF_8));
        this.tokens = tokens;
    }

    /** Whom a new session acts for before any Auth. */
    Principal initial() {
        return tokenHash == null && tokens == null ? Principal.ADMIN : Principal.NOBODY;
    }

    /** Whom {@code token} (the bytes sent, or null) authenticates; null when it is wrong. */
    Principal authenticate(byte[] token) {
        if (tokenHash == null && tokens == null) {
            return Principal.ADMIN;
        }
        if (token == null) {
            return null;
        }
        if (tokenHash != null && MessageDigest.isEqual(sha256(token), tokenHash)) {
            return Principal.ADMIN;
        }
        io.ancdb.store.Principal p = tokens == null ? null
                : tokens.authenticate(new String(token, StandardCharsets.UTF_8));
        return p == null ? null : Principal.of(p);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
