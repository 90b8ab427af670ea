package dev.sluice.sql.driver;

/**
 * The one method SqlAdmission reads from an execution beyond {@code StreamingQuery} ({@code trigger()}, by
 * reflection), so a test can stand in for a query without a SparkSession.
 */
public interface ExecutionShape {
    Object trigger();
}
