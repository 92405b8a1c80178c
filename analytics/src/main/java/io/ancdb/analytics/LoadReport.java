package io.ancdb.analytics;

import java.util.List;
import java.util.Map;

/**
 * What a load did.
 *
 * @param tables   the DuckDB tables made, one per record schema loaded
 * @param versions  each loaded file's version at the snapshot it was read from
 * @param fileRows  each loaded file's rows
 * @param rows      rows loaded in all
 * @param skipped   the files left out and why (only with {@link LoadOptions.OnFileError#SKIP})
 * @param unchanged the files left out because they were at their {@link LoadOptions#skipAt()} version
 * @param nanos     how long the load took
 */
public record LoadReport(List<String> tables, Map<String, Long> versions, Map<String, Long> fileRows, long rows,
                         List<FileFailure> skipped, List<String> unchanged, long nanos) {
    /** A file that could not be loaded: its name and the error. */
    public record FileFailure(String db, String reason) {
        @Override
        public String toString() {
            return db + ": " + reason;
        }
    }

    public int files() {
        return versions.size();
    }
}
