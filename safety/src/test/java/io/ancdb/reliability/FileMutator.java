package io.ancdb.reliability;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded damage to the bytes of a database (or WAL) file. Every kind aims at
 * a different line of defence: random bit flips and byte bursts anywhere,
 * whole pages of garbage or zeros, truncation, appended garbage, the 100-byte
 * file header, b-tree page headers and cell pointer arrays, and one page
 * copied over another (a well-formed page in the wrong place).
 */
final class FileMutator {
    static final int PAGE = 4096;

    enum Kind { BIT_FLIPS, BYTE_BURST, PAGE_GARBAGE, PAGE_ZEROS, TRUNCATE, APPEND, FILE_HEADER, BTREE_HEADER, PAGE_COPY }

    /** The damaged bytes and what was done, for the report. */
    record Mutation(byte[] bytes, Kind kind, String description) {
    }

    private FileMutator() {
    }

    static Mutation mutate(byte[] original, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        byte[] b = original.clone();
        int pages = Math.max(1, b.length / PAGE);
        int page = r.nextInt(pages);                      // 0-based
        String what = switch (kind) {
            case BIT_FLIPS -> {
                int n = 1 + r.nextInt(8);
                StringBuilder s = new StringBuilder(n + " bit flips at");
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    s.append(' ').append(at);
                }
                yield s.toString();
            }
            case BYTE_BURST -> {
                int n = 1 + r.nextInt(32);
                for (int i = 0; i < n; i++) {
                    b[pageOffset(b, page) + r.nextInt(pageLength(b, page))] = (byte) r.nextInt(256);
                }
                yield n + " random bytes in page " + (page + 1);
            }
            case PAGE_GARBAGE -> {
                for (int i = pageOffset(b, page); i < pageOffset(b, page) + pageLength(b, page); i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                yield "page " + (page + 1) + " replaced by garbage";
            }
            case PAGE_ZEROS -> {
                Arrays.fill(b, pageOffset(b, page), pageOffset(b, page) + pageLength(b, page), (byte) 0);
                yield "page " + (page + 1) + " zeroed";
            }
            case TRUNCATE -> {
                int len = r.nextBoolean() ? r.nextInt(pages) * PAGE : r.nextInt(b.length);
                b = Arrays.copyOf(b, len);
                yield "truncated to " + len + " bytes";
            }
            case APPEND -> {
                int extra = (1 + r.nextInt(3)) * PAGE;
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = original.length; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                yield extra + " bytes of garbage appended";
            }
            case FILE_HEADER -> {
                int n = 1 + r.nextInt(4);
                StringBuilder s = new StringBuilder("file header bytes");
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(Math.min(100, b.length));
                    b[at] = (byte) r.nextInt(256);
                    s.append(' ').append(at);
                }
                yield s.toString();
            }
            case BTREE_HEADER -> {
                // page header (8 or 12 bytes) and the start of the cell pointer array
                int base = pageOffset(b, page) + (page == 0 ? 100 : 0);
                int n = 1 + r.nextInt(3);
                StringBuilder s = new StringBuilder("b-tree header of page " + (page + 1) + ", bytes");
                for (int i = 0; i < n; i++) {
                    int at = base + r.nextInt(24);
                    if (at < b.length) {
                        b[at] = (byte) r.nextInt(256);
                        s.append(' ').append(at - pageOffset(b, page));
                    }
                }
                yield s.toString();
            }
            case PAGE_COPY -> {
                int from = r.nextInt(pages);
                System.arraycopy(original, pageOffset(original, from), b, pageOffset(b, page),
                        Math.min(pageLength(original, from), pageLength(b, page)));
                yield "page " + (from + 1) + " copied over page " + (page + 1);
            }
        };
        return new Mutation(b, kind, what);
    }

    private static int pageOffset(byte[] b, int page) {
        return Math.min(page * PAGE, b.length);
    }

    private static int pageLength(byte[] b, int page) {
        return Math.max(1, Math.min(PAGE, b.length - page * PAGE));
    }
}
