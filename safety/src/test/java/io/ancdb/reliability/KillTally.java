package io.ancdb.reliability;

import java.util.ArrayList;
import java.util.List;

/** Counts of one lane of the kill -9 loop (or of all lanes, {@link #plus}). */
final class KillTally {
    long kills;
    long recoveriesVerified;
    long acknowledgedLost;           // acknowledged transactions missing after a recovery
    long integrityFailures;          // ANC-DB's b-tree check or sqlite3's integrity_check failed
    long killsBeforeOpen;
    long killsDuringOpen;            // right after "open": during crash recovery of the previous kill
    long killsDuringWrites;
    long killsInFlight;              // a transaction had begun and was not acknowledged
    long inFlightFoundCommitted;     // ... and the file shows it committed
    long transactionsCommitted;      // transaction numbers the recovered files advanced by
    long startupMillis;              // sum over children that printed "open": spawn to "open"
    long startups;
    final List<String> failures = new ArrayList<>();

    KillTally plus(KillTally o) {
        KillTally t = new KillTally();
        t.kills = kills + o.kills;
        t.recoveriesVerified = recoveriesVerified + o.recoveriesVerified;
        t.acknowledgedLost = acknowledgedLost + o.acknowledgedLost;
        t.integrityFailures = integrityFailures + o.integrityFailures;
        t.killsBeforeOpen = killsBeforeOpen + o.killsBeforeOpen;
        t.killsDuringOpen = killsDuringOpen + o.killsDuringOpen;
        t.killsDuringWrites = killsDuringWrites + o.killsDuringWrites;
        t.killsInFlight = killsInFlight + o.killsInFlight;
        t.inFlightFoundCommitted = inFlightFoundCommitted + o.inFlightFoundCommitted;
        t.transactionsCommitted = transactionsCommitted + o.transactionsCommitted;
        t.startupMillis = startupMillis + o.startupMillis;
        t.startups = startups + o.startups;
        t.failures.addAll(failures);
        t.failures.addAll(o.failures);
        return t;
    }

    /** The headline, as the README quotes it. */
    String headline() {
        return "kill-9: " + kills + " kills, " + recoveriesVerified + " recoveries verified, " + acknowledgedLost
                + " acknowledged transactions lost, " + integrityFailures + " integrity failures";
    }

    String details() {
        return "kill points: " + killsBeforeOpen + " before open, " + killsDuringOpen + " during open/recovery, "
                + killsDuringWrites + " during writes; " + transactionsCommitted + " transactions committed; "
                + killsInFlight + " kills with a transaction in flight, " + inFlightFoundCommitted
                + " of them found committed (commit reached the file before the ack); "
                + failures.size() + " failures; child start-up " + (startups == 0 ? "-" : startupMillis / startups)
                + " ms on average";
    }
}
