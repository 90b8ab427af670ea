package dev.sluice.sql.advice;

import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.asm.Advice;

/**
 * {@code MicroBatchExecution.constructNextBatch} (driver, the query's stream thread, once per trigger; its descriptor
 * differs in 3.5, 4.0 and 4.1, so it is matched by name and boolean return): on entry the previous batch's progress is
 * fed to the query's estimator and the query is made current for this thread, so the source's {@code latestOffset}
 * called inside can find its limit; on exit (also on a throw) it is cleared. The execution passes as a plain object:
 * its class moved package in 4.1.
 */
public final class PlanningAdvice {
    private PlanningAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object execution) {
        SqlAdmission.planning(execution);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
        SqlAdmission.planned();
    }
}
