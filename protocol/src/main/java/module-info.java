/**
 * The MessagePack command dispatcher, the stdio and TCP servers and the
 * {@code ancdb.jar} command line, over the safe API's exported packages only.
 */
@SuppressWarnings("requires-automatic")     // msgpack-core 0.9.8 declares no module name: its jar's
module io.ancdb.protocol {                   // file name gives it (msgpack.core)
    requires transitive io.ancdb.safety;     // CommandDispatcher takes a Database
    requires msgpack.core;
    requires info.picocli;                   // the command line (Cli)
    requires com.fasterxml.jackson.core;     // JSON of the one-shot put / get / scan (OneShot)

    // picocli fills the command classes' annotated fields by reflection
    opens io.ancdb.protocol to info.picocli;

    exports io.ancdb.protocol;
}
