package io.ancdb.store;

import io.ancdb.InvalidArgumentException;

/**
 * Who a token speaks for: one party, or an administrator; with read or
 * read-write access.
 *
 * @param party     the party (a {@link PairNames party name}), null for an administrator
 * @param readWrite true: may write; false: read only
 */
public record Principal(String party, boolean readWrite) {
    public Principal {
        if (party != null) {
            PairNames.requireParty(party);
        }
    }

    /** An administrator: reaches every database. */
    public static Principal admin(boolean readWrite) {
        return new Principal(null, readWrite);
    }

    /** A party: reaches only the pair databases it is one of. */
    public static Principal party(String party, boolean readWrite) {
        if (party == null) {
            throw new InvalidArgumentException("a party principal needs a party name");
        }
        return new Principal(party, readWrite);
    }

    public boolean isAdmin() {
        return party == null;
    }

    @Override
    public String toString() {
        return (isAdmin() ? "admin" : "party:" + party) + (readWrite ? " read-write" : " read");
    }
}
