package io.ancdb.protocol;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by the fuzzing connections and canaries of one run; thread-safe. */
final class FuzzTally {
    private final long quota;
    private final AtomicLong claimed = new AtomicLong();
    private final Map<HostileMessages.Kind, LongAdder> sentByKind = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> responsesByStatus = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> closesByReason = new ConcurrentSkipListMap<>();
    final LongAdder responses = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder canaryOps = new LongAdder();
    final LongAdder canaryRetries = new LongAdder();
    final LongAdder errorMessagesAudited = new LongAdder();

    FuzzTally(long quota) {
        this.quota = quota;
    }

    /** Claims the next message of the quota; false once all are claimed. */
    boolean claim() {
        return claimed.incrementAndGet() <= quota;
    }

    long sent() {
        return Math.min(claimed.get(), quota);
    }

    void sent(HostileMessages.Kind kind) {
        sentByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void response(int status) {
        responses.increment();
        responsesByStatus.computeIfAbsent(status + " " + Status.name(status), k -> new LongAdder()).increment();
    }

    void closed(String reason) {
        closesByReason.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    Map<String, Long> sentByKind() {
        Map<String, Long> m = new TreeMap<>();
        sentByKind.forEach((k, v) -> m.put(k.name(), v.sum()));
        return m;
    }

    Map<String, Long> responsesByStatus() {
        return snapshot(responsesByStatus);
    }

    Map<String, Long> closesByReason() {
        return snapshot(closesByReason);
    }

    long closes() {
        return closesByReason.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
