package dev.sluice.agent;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * The Structured Streaming engine's planning class ({@code MicroBatchExecution}), checked when it loads: the planning
 * hook is matched by name because its descriptor differs per line ({@link SqlHooks}), so this is where a Spark that
 * renamed or reshaped it is caught. It needs exactly one {@code constructNextBatch} returning boolean, and the public
 * {@code trigger()} and {@code uniqueSources()} the runtime reads by reflection. A mismatch prints one line and leaves
 * the class unadvised: no query is ever governed, the sources' {@code latestOffset} keeps Spark's limits, and the rest
 * of Sluice is unaffected.
 */
final class PlanningCheck extends OncePerLoader {

    static final String TRIGGER = "()Lorg/apache/spark/sql/streaming/Trigger;";
    static final String UNIQUE_SOURCES = "()Lscala/collection/immutable/Map;";

    PlanningCheck(SluiceInstaller.Report report) {
        super(report);
    }

    @Override
    String refusal(TypeDescription execution, ClassLoader loader) {
        String problem = problem(execution);
        return problem == null ? null : "Sluice: Structured Streaming keeps Spark's limits: " + problem
                + "; the rest of Sluice is unaffected";
    }

    /** Null when {@code execution} has what the planning advice and the runtime use; else what is missing. */
    static String problem(TypeDescription execution) {
        int planning = 0;
        for (MethodDescription m : execution.getDeclaredMethods()) {
            if (m.getInternalName().equals(SqlHooks.PLANNING_METHOD) && m.getReturnType().represents(boolean.class)) {
                planning++;
            }
        }
        if (planning != 1) {
            return execution.getName() + " declares " + planning + " methods " + SqlHooks.PLANNING_METHOD
                    + " returning boolean (expected exactly 1)";
        }
        try {
            for (String[] member : new String[][]{{"trigger", TRIGGER}, {"uniqueSources", UNIQUE_SOURCES}}) {
                if (!publicInHierarchy(execution, member[0], member[1])) {
                    return execution.getName() + " has no public " + member[0] + member[1];
                }
            }
        } catch (RuntimeException e) {
            // A superclass that cannot be described in this loader: the reflective reads could not work either.
            return execution.getName() + "'s hierarchy cannot be read (" + e + ")";
        }
        return null;
    }

    private static boolean publicInHierarchy(TypeDescription type, String name, String descriptor) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            for (MethodDescription m : t.asErasure().getDeclaredMethods()) {
                if (m.isPublic() && m.getInternalName().equals(name) && m.getDescriptor().equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }
}
