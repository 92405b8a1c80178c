package io.ancdb.protocol;

import java.util.Locale;

/**
 * How one connection wants values on the wire, as its last Hello (0x31) set
 * them; every connection starts with {@link #DEFAULT}. Only responses depend
 * on them: a request may always use either form.
 *
 * @param vectors how f32vec and i8vec values are sent
 */
record WireOptions(Vectors vectors) {
    /** What a connection that sent no Hello gets: vectors as arrays of floats. */
    static final WireOptions DEFAULT = new WireOptions(Vectors.ARRAY);

    /** The wire form of an f32vec or i8vec value. */
    enum Vectors {
        /** An array of float32 numbers (i8vec: its dequantized values). */
        ARRAY,
        /**
         * A bin of n float32s, little-endian IEEE 754 (4n bytes; i8vec: its
         * dequantized values): the f32vec storage format, decoded by a client
         * with one copy (numpy.frombuffer, array('f').frombytes).
         */
        BIN;

        /** "array" or "bin", as Hello's {@code vectors} names it. */
        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The form {@code name} names ("array" or "bin", any case). */
        static Vectors of(String name) {
            for (Vectors v : values()) {
                if (v.name().equalsIgnoreCase(name)) {
                    return v;
                }
            }
            throw WireError.invalid("vectors must be \"array\" or \"bin\", got \"" + Messages.clip(name) + "\"");
        }
    }

    /** These options with vectors sent as {@code v}. */
    WireOptions withVectors(Vectors v) {
        return new WireOptions(v);
    }
}
