package dev.sluice.testbed.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/** The sql-* sources' options, refused before anything runs. */
class SqlSourceOptionsTest {

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class,
                () -> Main.run(args, new PrintStream(new ByteArrayOutputStream()))).getMessage();
    }

    @Test
    void anUnknownSqlSourceIsRefused() {
        assertEquals("unknown source 'sql-rate'; expected receivers, kafka, sql-files or sql-kafka",
                refused("--source", "sql-rate"));
    }

    @Test
    void onlyTheBacklogSpikeScenarioRuns() {
        assertEquals("--source sql-files runs the scenario backlog-spike only, got 'overload'",
                refused("--source", "sql-files", "--scenario", "overload"));
    }

    @Test
    void theModesRunTogetherInTheirOrder() {
        assertTrue(refused("--source", "sql-kafka", "--modes", "sluice").startsWith(
                "--source sql-kafka runs the modes none,static,sluice (all)"));
    }

    @Test
    void receiverOptionsAreRefused() {
        assertEquals("--time-scale does not apply to --source sql-files",
                refused("--source", "sql-files", "--time-scale", "0.5"));
    }

    @Test
    void helpDocumentsTheSqlSources() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"--help"}, new PrintStream(out));
        assertTrue(out.toString().contains("sql-files"), out.toString());
        assertTrue(out.toString().contains("sql-kafka"), out.toString());
        assertTrue(out.toString().contains("--examples-jar"), out.toString());
    }
}
