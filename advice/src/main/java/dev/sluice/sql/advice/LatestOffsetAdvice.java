package dev.sluice.sql.advice;

import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.asm.Advice;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;

/**
 * {@code latestOffset(Offset, ReadLimit)} entry of {@code KafkaMicroBatchStream} and {@code FileStreamSource} (driver,
 * inside the engine's planning of the next batch): the limit the engine passes (the user's {@code maxOffsetsPerTrigger}
 * or {@code maxFilesPerTrigger}, or all available) is replaced by the one Sluice computed for this query and source, of
 * the kind that source accepts. The end offset the source returns is written to the offset log before the
 * batch runs, and a replay reuses the logged range without asking again, so exactly-once is Spark's as before. Only
 * catalyst types appear here: the connector may live in a child class loader.
 */
public final class LatestOffsetAdvice {
    private LatestOffsetAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object stream,
                             @Advice.Argument(value = 1, readOnly = false) ReadLimit limit) {
        limit = SqlAdmission.limitFor(stream, limit);
    }
}
