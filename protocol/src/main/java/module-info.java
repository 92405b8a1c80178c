/**
 * The MessagePack command dispatcher, the stdio and TCP servers and the
 * {@code ancdb.jar} command line, over the safe API's exported packages only.
 */
@SuppressWarnings("requires-automatic")     // msgpack-core 0.9.8 declares no module name: its jar's
module io.ancdb.protocol {                   // file name gives it (msgpack.core)
    requires transitive io.ancdb.safety;     // CommandDispatcher takes a Database
    requires msgpack.core;

    exports io.ancdb.protocol;
}
