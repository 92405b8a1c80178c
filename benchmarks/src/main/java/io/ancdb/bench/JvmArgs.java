package io.ancdb.bench;

/** The JVM flags every benchmark fork runs with. */
final class JvmArgs {
    private JvmArgs() {
    }

    /** ANC-DB's FFM downcalls. */
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    /** msgpack-core and lmdbjava's buffer access. */
    static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    /** lmdbjava's ByteBuffer proxy reaches into direct buffers. */
    static final String OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String EXPORTS_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** A fixed heap (-Xms = -Xmx) so GC sizing does not differ between forks or drift within one. */
    static final String HEAP = "-Xmx2g";
    static final String HEAP_MIN = "-Xms2g";
    /**
     * Every heap page touched at start: first-touch page faults during the
     * measurement otherwise swung results up to 4x on these VMs (shared/README).
     */
    static final String PRETOUCH = "-XX:+AlwaysPreTouch";
}
