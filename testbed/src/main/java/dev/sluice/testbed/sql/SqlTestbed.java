package dev.sluice.testbed.sql;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Structured Streaming source of the test bed: the scenario in the modes none, static and sluice, in that order
 * (the static limit is sized from the capacity the none run measured, unless one is given), then the report.
 */
public final class SqlTestbed {

    private SqlTestbed() {
    }

    /**
     * @param givenCapacity rows/s for the static limit and the yardstick, or ≤ 0 to take the none run's
     * @param command       the command line, for the report
     */
    public static Path run(SqlSourceRunner runner, SqlJob job, Path out, double givenCapacity, String command) {
        PrintStream console = job.console();
        SqlScenario s = job.scenario();
        long t0 = System.currentTimeMillis();
        List<SqlRunData> runs = new ArrayList<>();
        double capacity = givenCapacity;
        String capacityHow = "given by --capacity";
        int n = 0;
        for (SqlMode mode : SqlMode.values()) {
            n++;
            String limit = mode == SqlMode.STATIC ? runner.staticLimit(capacity) : null;
            console.printf("[%d/3] %s %s %s%s%n", n, runner.source(), s.name(), mode.id,
                    limit == null ? "" : " (" + limit + ")");
            SqlRunData d = runner.run(mode, limit, out.resolve(s.name()).resolve(mode.id));
            runs.add(d);
            SqlFigures f = SqlFigures.of(d, s);
            console.println("      " + f.summary() + "; sink " + d.audit().verdict() + "; " + d.result());
            if (mode == SqlMode.NONE && !(capacity > 0)) {
                capacity = f.capacity();
                capacityHow = "measured in the none run";
                if (!(capacity > 0)) {
                    throw new IllegalStateException("the none run measured no capacity (no batch before the spike); "
                            + "see " + d.result().runDir());
                }
            }
        }
        String header = String.format(Locale.ROOT, "%s. Spark %s on local-cluster[2,1,1024], executors 512m. Modes: "
                        + "none (stock Spark, no read limit), static (stock Spark, %s: one trigger interval of the "
                        + "capacity, %.0f rows/s, %s), sluice (the agent, no option). Wall time %.1f min. Command: "
                        + "`./testbed.sh %s`.", runner.describe(), job.home().version(), runs.get(1).limit(), capacity,
                capacityHow, (System.currentTimeMillis() - t0) / 60000.0, command);
        return SqlReport.write(out, s, runs, capacity, capacityHow, header);
    }
}
