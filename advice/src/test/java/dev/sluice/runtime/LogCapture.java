package dev.sluice.runtime;

import java.util.List;

/** Test support for the other packages' tests: Sluice's log lines into a list, and back to the buffer. */
public final class LogCapture {

    private LogCapture() {
    }

    /** From now on every line's message is added to {@code messages}. */
    public static void into(final List<String> messages) {
        SluiceLog.reset(new SluiceLog.Sink() {
            @Override
            public void log(SluiceLog.Level level, String message, Throwable error) {
                messages.add(message);
            }
        });
    }

    /** Lines are buffered again, as before the host's logging is ready. */
    public static void reset() {
        SluiceLog.reset(null);
    }
}
