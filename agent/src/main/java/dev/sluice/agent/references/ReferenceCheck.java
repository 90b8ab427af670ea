package dev.sluice.agent.references;

import net.bytebuddy.pool.TypePool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up check of one area: every reference in its generated file, against the host's classes (a
 * {@link TypePool}: nothing is loaded). The host "has" the area when any class it advises resolves; then every other
 * reference must resolve too, else the area is a mismatch.
 */
public final class ReferenceCheck {

    /** The outcome for one area. */
    public static final class Outcome {
        /** Whether any class the area advises resolves in the host. */
        public final boolean visible;
        /** Null when every reference resolves (or nothing is visible), else the first problem and how many more. */
        public final String problem;
        public final int checked;

        Outcome(boolean visible, String problem, int checked) {
            this.visible = visible;
            this.problem = problem;
            this.checked = checked;
        }
    }

    private ReferenceCheck() {
    }

    /** The area's reference lines from {@code resources} (the agent's class loader); none when the file is missing. */
    public static List<String> load(ReferenceArea area, ClassLoader resources) throws IOException {
        InputStream in = resources == null ? ClassLoader.getSystemResourceAsStream(area.resource())
                : resources.getResourceAsStream(area.resource());
        if (in == null) {
            throw new IOException(area.resource() + " is missing from the agent jar (a build without the "
                    + "process-classes phase?)");
        }
        List<String> lines = new ArrayList<String>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.trim().isEmpty() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * Checks {@code lines} (from {@link #load}); advised methods first, in file order, so the first problem named is the
     * most telling one.
     */
    public static Outcome check(TypePool pool, List<String> lines) {
        List<Reference> advised = new ArrayList<Reference>();
        List<Reference> others = new ArrayList<Reference>();
        for (String line : lines) {
            Reference r = Reference.parse(line);
            (r.isAdvisedMethod() ? advised : others).add(r);
        }
        boolean visible = false;
        for (Reference r : advised) {
            if (pool.describe(r.hostClass()).isResolved()) {
                visible = true;
                break;
            }
        }
        if (!visible) {
            return new Outcome(false, null, 0);
        }
        String first = null;
        int failed = 0;
        List<Reference> all = new ArrayList<Reference>(advised);
        all.addAll(others);
        for (Reference r : all) {
            String problem = r.check(pool);
            if (problem != null) {
                if (first == null) {
                    first = problem + usedBy(lines, r);
                }
                failed++;
            }
        }
        String summary = first == null ? null : failed == 1 ? first : first + " (and " + (failed - 1) + " more)";
        return new Outcome(true, summary, all.size());
    }

    /** " (used by X)" from the line's comment. */
    private static String usedBy(List<String> lines, Reference r) {
        for (String line : lines) {
            int hash = line.indexOf('#');
            if (hash > 0 && Reference.parse(line).line().equals(r.line())) {
                return " (used by " + line.substring(hash + 1).trim() + ")";
            }
        }
        return "";
    }
}
