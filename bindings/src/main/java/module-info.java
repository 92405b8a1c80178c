/**
 * The FFM bindings of {@code libancdb} (generated from {@code native/ancdb.h},
 * never edited by hand) and the loader of the bundled native library. The
 * bindings are for the safe layer only: calling them directly can corrupt
 * the file, so {@code io.ancdb.bindings.internal} is exported to it alone.
 */
@SuppressWarnings("module")     // io.ancdb.safety is compiled after this module
module io.ancdb.bindings {
    exports io.ancdb.bindings;
    exports io.ancdb.bindings.internal to io.ancdb.safety;
}
