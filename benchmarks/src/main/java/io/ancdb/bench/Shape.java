package io.ancdb.bench;

/** The two record shapes. */
public enum Shape {
    /** 8-byte integer key, 100-byte value. */
    KV("kv"),
    /** AgentMemory: id, indexed timestamp, 1 KiB content, 768-dim float32 embedding. */
    AGENT("agent_memory");

    /** The table (and ANC-DB schema) name. */
    public final String table;

    Shape(String table) {
        this.table = table;
    }

    public static Shape of(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
