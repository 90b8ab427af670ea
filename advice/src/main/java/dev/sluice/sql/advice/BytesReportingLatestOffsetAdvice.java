package dev.sluice.sql.advice;

import dev.sluice.sql.driver.SqlAdmission;
import net.bytebuddy.asm.Advice;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;

/**
 * {@code latestOffset(Offset, ReadLimit)} entry of a {@code FileStreamSource} whose {@code takeFilesUntilMax} passed
 * the agent's check at class load and carries {@link FilesTakenAdvice}: as {@link LatestOffsetAdvice}, and a
 * {@code maxBytesPerTrigger} limit is governed too, because each bytes-limited planning reports the bytes it took. The
 * agent applies this advice or {@link LatestOffsetAdvice}, never both, so which one runs says whether bytes are
 * reported.
 */
public final class BytesReportingLatestOffsetAdvice {
    private BytesReportingLatestOffsetAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object source,
                             @Advice.Argument(value = 1, readOnly = false) ReadLimit limit) {
        limit = SqlAdmission.limitWithBytesFor(source, limit);
    }
}
