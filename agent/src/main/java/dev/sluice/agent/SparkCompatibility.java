package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.agent.references.ReferenceCheck;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * Checks, without loading any class, that the host's Spark has every member Sluice's code uses: the methods it advises
 * and everything the advice and runtime reference (types, methods with their descriptors, fields, abstract methods of
 * the host classes they extend), from the area's reference file generated at build time ({@link ReferenceCheck}). A
 * mismatch means a Spark line Sluice does not know: better one clear line and an untouched Spark than advice that fails
 * to link at the first record.
 */
public final class SparkCompatibility {

    /** The outcome: compatible, not visible (yet), or a named mismatch. */
    public static final class Result {
        public final boolean compatible;
        public final boolean classesVisible;
        public final String problem;

        private Result(boolean compatible, boolean classesVisible, String problem) {
            this.compatible = compatible;
            this.classesVisible = classesVisible;
            this.problem = problem;
        }

        @Override
        public String toString() {
            return compatible ? "compatible" : classesVisible ? problem : "Spark Streaming classes not visible";
        }
    }

    private SparkCompatibility() {
    }

    public static Result checkSystemClassLoader() {
        return check(ClassLoader.getSystemClassLoader());
    }

    public static Result check(ClassLoader loader) {
        return check(loader, Areas.RECEIVER);
    }

    /** One area's references against the classes {@code loader} sees. */
    public static Result check(ClassLoader loader, ReferenceArea area) {
        return check(TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)), area, sparkVersion(loader));
    }

    /** The area's generated references (from the agent's own jar) against {@code pool}. */
    public static Result check(TypePool pool, ReferenceArea area, String sparkVersion) {
        List<String> references;
        try {
            references = ReferenceCheck.load(area, SparkCompatibility.class.getClassLoader());
        } catch (IOException e) {
            return new Result(false, true, "Sluice: " + e.getMessage() + "; Sluice leaves Spark uninstrumented");
        }
        return check(pool, area, references, sparkVersion);
    }

    /**
     * @param references the area's reference lines; if none of the classes it advises resolve, the result says "not
     *                   visible" (checked again when a hooked class is first loaded); if some resolve and any reference
     *                   does not, it is a mismatch
     */
    public static Result check(TypePool pool, ReferenceArea area, List<String> references, String sparkVersion) {
        ReferenceCheck.Outcome outcome = ReferenceCheck.check(pool, references);
        if (!outcome.visible) {
            return new Result(false, false, null);
        }
        if (outcome.problem != null) {
            return new Result(false, true, "Sluice: Spark " + sparkVersion + " is not supported (" + area
                    + " instrumentation): " + outcome.problem + "; Sluice leaves Spark uninstrumented");
        }
        return new Result(true, true, null);
    }

    /** Spark's version: spark-version-info.properties, else the spark-streaming jar's manifest, else "(unknown version)". */
    static String sparkVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream("spark-version-info.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (Exception ignored) {
            // fall through: Maven Central's spark-core has no such file (distributions do)
        }
        String v = jarVersion(loader, "org/apache/spark/streaming/receiver/Receiver.class");
        if (v != null) {
            return v;
        }
        return "(unknown version)";
    }

    /** The Implementation-Version of the jar holding {@code classResource} as {@code loader} sees it, or null. */
    static String jarVersion(ClassLoader loader, String classResource) {
        try {
            java.net.URL url = loader.getResource(classResource);
            if (url != null && "jar".equals(url.getProtocol())) {
                java.net.JarURLConnection c = (java.net.JarURLConnection) url.openConnection();
                c.setUseCaches(false);
                java.util.jar.Manifest mf = c.getManifest();
                return mf == null ? null : mf.getMainAttributes().getValue("Implementation-Version");
            }
        } catch (Exception ignored) {
            // no version to name: the caller says "(unknown version)"
        }
        return null;
    }
}
