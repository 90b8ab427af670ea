package dev.sluice.agent;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spark whose engine class no longer has the planning hook the agent matches by name: refused with one line naming
 * what is missing, once per class loader, and the class left unadvised. (The released engines of 3.5.7 and 4.1.0 pass
 * the same check: {@code SqlHooksTest}.)
 */
class PlanningCheckTest {

    private static final String ENGINE = SqlHooks.MICRO_BATCH_EXECUTIONS.get(1);

    private static TypeDescription describe(byte[] bytes) {
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(ENGINE, bytes),
                ClassFileLocator.ForClassLoader.ofBootLoader());
        return TypePool.Default.of(locator).describe(ENGINE).resolve();
    }

    @Test
    void anEngineWhosePlanningMethodIsGoneIsRefusedOnceWithALineNamingIt() {
        TypeDescription renamed = describe(new ByteBuddy().subclass(Object.class).name(ENGINE)
                .defineMethod("constructNextBatchWithContext", boolean.class, Visibility.PRIVATE)
                .intercept(FixedValue.value(true)).make().getBytes());
        List<String> lines = new ArrayList<>();
        PlanningCheck check = new PlanningCheck(lines::add);
        ClassLoader loader = new ClassLoader(null) {
        };

        assertFalse(check.matches(renamed, loader, null, null, null));
        assertFalse(check.matches(renamed, loader, null, null, null));

        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("Sluice: Structured Streaming keeps Spark's limits: "), line);
        assertTrue(line.contains(ENGINE) && line.contains("declares 0 methods constructNextBatch"), line);
        assertTrue(line.endsWith("the rest of Sluice is unaffected"), line);
    }

    @Test
    void aPlanningMethodReturningSomethingElseDoesNotCount() {
        TypeDescription changed = describe(new ByteBuddy().subclass(Object.class).name(ENGINE)
                .defineMethod(SqlHooks.PLANNING_METHOD, int.class, Visibility.PRIVATE)
                .intercept(FixedValue.value(0)).make().getBytes());
        assertProblemNames(changed, "declares 0 methods");
    }

    @Test
    void twoPlanningMethodsAreAmbiguous() {
        TypeDescription overloaded = describe(new ByteBuddy().subclass(Object.class).name(ENGINE)
                .defineMethod(SqlHooks.PLANNING_METHOD, boolean.class, Visibility.PRIVATE)
                .withParameters(boolean.class).intercept(FixedValue.value(true))
                .defineMethod(SqlHooks.PLANNING_METHOD, boolean.class, Visibility.PRIVATE)
                .withParameters(Arrays.asList(Object.class, boolean.class)).intercept(FixedValue.value(true))
                .make().getBytes());
        assertProblemNames(overloaded, "declares 2 methods");
    }

    @Test
    void theReflectiveReadsMustExistToo() {
        TypeDescription noTrigger = describe(new ByteBuddy().subclass(Object.class).name(ENGINE)
                .defineMethod(SqlHooks.PLANNING_METHOD, boolean.class, Visibility.PRIVATE)
                .withParameters(boolean.class).intercept(FixedValue.value(true)).make().getBytes());
        assertProblemNames(noTrigger, "has no public trigger" + PlanningCheck.TRIGGER);
    }

    private static void assertProblemNames(TypeDescription engine, String expected) {
        String problem = PlanningCheck.problem(engine);
        assertTrue(problem != null && problem.contains(expected), String.valueOf(problem));
    }
}
