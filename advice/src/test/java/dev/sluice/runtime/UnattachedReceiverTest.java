package dev.sluice.runtime;

import dev.sluice.receiver.executor.ReceiverHooks;
import dev.sluice.receiver.executor.RuntimeFixture;
import dev.sluice.receiver.executor.TestReceiver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A receiver with no input stream (stream id -1, as in Spark's own receiver tests) is left to Spark: one line, counted. */
class UnattachedReceiverTest {

    private final List<Object[]> logged = new ArrayList<Object[]>();

    @AfterEach
    void forgetSink() {
        SluiceLog.reset(null);
    }

    @Test
    void storesOfAReceiverWithoutStreamPassWithOneLineAndNoStackTrace() {
        RuntimeFixture.install();
        SluiceLog.reset(new SluiceLog.Sink() {
            @Override
            public void log(SluiceLog.Level level, String message, Throwable error) {
                logged.add(new Object[] {level, message, error});
            }
        });
        TestReceiver receiver = new TestReceiver(-1);
        long errorsBefore = AdviceErrors.total();
        long before = UnattachedReceiver.count();
        for (int i = 0; i < 3; i++) {
            assertFalse(ReceiverHooks.discardSingle(receiver, "record " + i), "a record was discarded");
        }
        assertEquals(3, UnattachedReceiver.count() - before, "store calls on a receiver with no stream, counted");
        assertEquals(errorsBefore, AdviceErrors.total(), "a receiver with no stream is not a Sluice error");
        int lines = 0;
        for (Object[] l : logged) {
            assertNull(l[2], "logged with a stack trace: " + l[1]);
            if (((String) l[1]).contains("no input stream")) {
                lines++;
            }
        }
        assertEquals(before == 0 ? 1 : 0, lines, "lines about the receiver: " + describe());
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Object[] l : logged) {
            b.append(l[0]).append(' ').append(l[1]).append(l[2] == null ? "" : " + " + l[2]).append('\n');
        }
        return b.toString();
    }
}
