package dev.sluice.sql.advice;

import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.asm.Advice;

/**
 * {@code FileStreamSource.takeFilesUntilMax(Seq, long)} exit (driver, inside {@code latestOffset} under a
 * {@code maxBytesPerTrigger} limit, once per planning): its result, {@code (FilesSplit taken, FilesSplit rest)}, is
 * handed over as a plain object (its classes are private to the source and differ by engine package); the runtime
 * reads the bytes taken, which teach the rows per byte (the source always takes its first file whatever the limit, so
 * the limit alone cannot), and the bytes left waiting. Nothing is changed: the source's choice stands.
 */
public final class FilesTakenAdvice {
    private FilesTakenAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object source, @Advice.Return Object split) {
        SqlAdmission.filesTaken(source, split);
    }
}
