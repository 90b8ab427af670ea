package dev.sluice.testbed.sql;

/** How a Structured Streaming query of the test bed runs. */
public enum SqlMode {
    /** Stock Spark, no read limit: each batch takes everything available. */
    NONE("none"),
    /** Stock Spark with the static read limit a user would set (see {@link StaticLimit}). */
    STATIC("static"),
    /** The Sluice agent attached as users attach it, no Structured Streaming option set. */
    SLUICE("sluice");

    public final String id;

    SqlMode(String id) {
        this.id = id;
    }
}
