package dev.sluice.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Checks, without loading any class, that every hooked class and method descriptor exists as Sluice expects. A
 * mismatch means a Spark line Sluice does not know: better one clear line and an untouched Spark than advice on the
 * wrong method.
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
        ClassLoader system = ClassLoader.getSystemClassLoader();
        return check(TypePool.Default.of(ClassFileLocator.ForClassLoader.of(system)), Hooks.ALL, sparkVersion(system));
    }

    public static Result check(ClassLoader loader) {
        return check(TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)), Hooks.ALL, sparkVersion(loader));
    }

    /**
     * @param hooks the hook points to verify; if none of their classes resolve, the result says "not visible" (checked
     *              again when a hooked class is first loaded); if some resolve and a class or method is missing, it is a
     *              mismatch
     */
    public static Result check(TypePool pool, Collection<HookPoint> hooks, String sparkVersion) {
        boolean anyVisible = false;
        String firstProblem = null;
        for (HookPoint hook : hooks) {
            TypePool.Resolution resolution = pool.describe(hook.className);
            if (!resolution.isResolved()) {
                if (firstProblem == null) {
                    firstProblem = "class " + hook.className + " not found";
                }
                continue;
            }
            anyVisible = true;
            TypeDescription type = resolution.resolve();
            if (!declares(type, hook.methodName, hook.descriptor) && firstProblem == null) {
                firstProblem = "method " + hook.className + "." + hook.methodName + hook.descriptor + " not found";
            }
        }
        if (!anyVisible) {
            return new Result(false, false, null);
        }
        if (firstProblem == null) {
            firstProblem = missingField(pool);
        }
        if (firstProblem == null) {
            firstProblem = missingCalledMethod(pool);
        }
        if (firstProblem != null) {
            return new Result(false, true, "Sluice: Spark " + sparkVersion + " is not supported: " + firstProblem
                    + "; Sluice leaves Spark uninstrumented");
        }
        return new Result(true, true, null);
    }

    static boolean declares(TypeDescription type, String name, String descriptor) {
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.getInternalName().equals(name) && m.getDescriptor().equals(descriptor)) {
                return true;
            }
        }
        return false;
    }

    private static String missingCalledMethod(TypePool pool) {
        for (String[] called : Hooks.CALLED) {
            TypePool.Resolution resolution = pool.describe(called[0]);
            if (!resolution.isResolved()) {
                return "class " + called[0] + " not found";
            }
            if (!declares(resolution.resolve(), called[1], called[2])) {
                return "method " + called[0] + "." + called[1] + called[2] + " not found";
            }
        }
        return null;
    }

    private static String missingField(TypePool pool) {
        for (String[] field : Hooks.FIELDS) {
            TypePool.Resolution resolution = pool.describe(field[0]);
            if (!resolution.isResolved()) {
                return "class " + field[0] + " not found";
            }
            boolean found = false;
            for (net.bytebuddy.description.field.FieldDescription.InDefinedShape f
                    : resolution.resolve().getDeclaredFields()) {
                if (f.getName().equals(field[1]) && f.getDescriptor().equals(field[2])) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return "field " + field[0] + "." + field[1] + " (" + field[2] + ") not found";
            }
        }
        return null;
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
        try {
            java.net.URL receiver = loader.getResource("org/apache/spark/streaming/receiver/Receiver.class");
            if (receiver != null && "jar".equals(receiver.getProtocol())) {
                java.net.JarURLConnection c = (java.net.JarURLConnection) receiver.openConnection();
                c.setUseCaches(false);
                java.util.jar.Manifest mf = c.getManifest();
                String v = mf == null ? null : mf.getMainAttributes().getValue("Implementation-Version");
                if (v != null) {
                    return v;
                }
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "(unknown version)";
    }

    static List<HookPoint> hooks() {
        return Hooks.ALL;
    }
}
