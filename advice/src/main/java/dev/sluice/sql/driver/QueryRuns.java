package dev.sluice.sql.driver;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The governed query runs of this JVM, for the metrics thread: each with the test of whether its query is still active
 * ({@code StreamingQuery.isActive}). A run whose query stopped (or that a newer run of the same query replaced) leaves
 * at the next {@link #live()}, and with it its meters and summary lines. No Spark type: the metrics thread loads it in
 * every JVM.
 */
public final class QueryRuns {

    private static final List<Run> RUNS = new CopyOnWriteArrayList<Run>();

    private QueryRuns() {
    }

    private static final class Run {
        final QueryAdmission admission;
        final BooleanSupplier active;

        Run(QueryAdmission admission, BooleanSupplier active) {
            this.admission = admission;
            this.active = active;
        }
    }

    /**
     * A governed run started ({@link SqlAdmission} calls it when the engine first plans a batch of the run); a run of
     * the same query (same key) before it is replaced.
     */
    public static void started(QueryAdmission admission, BooleanSupplier active) {
        for (Run r : RUNS) {
            // Stopped runs go here too, so they are not held when no metrics thread ever lists them.
            if (r.admission.key().equals(admission.key()) || !isActive(r)) {
                RUNS.remove(r);
            }
        }
        RUNS.add(new Run(admission, active));
    }

    private static boolean isActive(Run r) {
        try {
            return r.active.getAsBoolean();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The status of every run still active; the others are forgotten. */
    public static List<QueryStatus> live() {
        List<QueryStatus> out = new ArrayList<QueryStatus>();
        for (Iterator<Run> it = RUNS.iterator(); it.hasNext(); ) {
            Run r = it.next();
            if (isActive(r)) {
                out.add(r.admission.status());
            } else {
                RUNS.remove(r);
            }
        }
        return out;
    }

    /** The live run's status under {@code key}, or null. */
    public static QueryStatus byKey(String key) {
        for (Run r : RUNS) {
            if (r.admission.key().equals(key)) {
                return r.admission.status();
            }
        }
        return null;
    }

    /** Forgets every run (tests). */
    static void clear() {
        RUNS.clear();
    }
}
