package io.ancdb.bench.report;

/** How a target fared in one run. */
public enum Verdict {
    /** Every figure it depends on is reliable, and the promise holds. */
    MET("met"),
    /** Every figure it depends on is reliable, and the promise does not hold. */
    MISSED("missed"),
    /** A figure it depends on has an error wider than {@link Result#MAX_RELATIVE_ERROR}: neither met nor missed. */
    UNRELIABLE("unreliable"),
    /** A figure it depends on was not measured in this run. */
    NOT_MEASURED("not measured");

    /** As the JSON writes it. */
    public final String id;

    Verdict(String id) {
        this.id = id;
    }
}
