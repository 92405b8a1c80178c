package io.ancdb.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link KillChild} (or {@link GroupKillChild}) reported on stdout,
 * read on a thread of its own. Lines a child wrote before it was killed are
 * still in the pipe and are read to the end, so after {@link #awaitEnd} the
 * figures are final.
 */
final class ChildProgress {
    /** What a call of a many-threaded child ({@code begin|ack|fail t i}) came to. */
    enum Call { BEGUN, ACKED, FAILED }

    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final long spawnedNanos = System.nanoTime();
    private volatile long openedNanos = -1;
    private volatile long startedNanos = -1;
    private volatile Long startTxn;             // null until "start N"
    private volatile long lastBegun = Long.MIN_VALUE;
    private volatile long lastAcked = Long.MIN_VALUE;
    private volatile String badLine;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();     // by "t i"

    /** Starts reading {@code stdout} of the child. */
    static ChildProgress follow(InputStream stdout, String threadName) {
        ChildProgress p = new ChildProgress();
        Thread t = new Thread(() -> p.read(stdout), threadName);
        t.setDaemon(true);
        t.start();
        return p;
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                accept(line);
            }
        } catch (IOException e) {
            badLine = "stdout unreadable: " + e;
        } finally {
            opened.countDown();
            started.countDown();
            ended.countDown();
        }
    }

    private void accept(String line) {
        String[] w = line.split(" ");
        try {
            if (w.length == 3) {
                String call = Integer.parseInt(w[1]) + " " + Long.parseLong(w[2]);
                switch (w[0]) {
                    case "begin" -> calls.put(call, Call.BEGUN);
                    case "ack" -> calls.put(call, Call.ACKED);
                    case "fail" -> calls.put(call, Call.FAILED);
                    default -> badLine = line;
                }
                return;
            }
            switch (w[0]) {
                case "open" -> {
                    openedNanos = System.nanoTime();
                    opened.countDown();
                }
                case "start" -> {
                    startTxn = Long.parseLong(w[1]);
                    startedNanos = System.nanoTime();
                    started.countDown();
                }
                case "begin" -> lastBegun = Long.parseLong(w[1]);
                case "ack" -> lastAcked = Long.parseLong(w[1]);
                default -> badLine = line;
            }
        } catch (RuntimeException e) {
            badLine = line;
        }
    }

    /** Waits for "open" (or the end of the output); false on timeout. */
    boolean awaitOpen(long timeoutMs) throws InterruptedException {
        return opened.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits for "start N" (or the end of the output); false on timeout. */
    boolean awaitStart(long timeoutMs) throws InterruptedException {
        return started.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits until the child's stdout is closed (it is dead); false on timeout. */
    boolean awaitEnd(long timeoutMs) throws InterruptedException {
        return ended.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Milliseconds from spawn to "open", or -1 if it never came. */
    long startupMillis() {
        return openedNanos < 0 ? -1 : (openedNanos - spawnedNanos) / 1_000_000;
    }

    /** Milliseconds from "open" to "start" (opening the file, crash recovery included), or -1. */
    long openMillis() {
        return openedNanos < 0 || startedNanos < 0 ? -1 : (startedNanos - openedNanos) / 1_000_000;
    }

    Long startTxn() {
        return startTxn;
    }

    long lastBegun() {
        return lastBegun;
    }

    long lastAcked() {
        return lastAcked;
    }

    /** The calls of a many-threaded child by "thread index", and what each came to (final after {@link #awaitEnd}). */
    Map<String, Call> calls() {
        return calls;
    }

    /** A line that is not part of the protocol (the child printed something unexpected), or null. */
    String badLine() {
        return badLine;
    }
}
