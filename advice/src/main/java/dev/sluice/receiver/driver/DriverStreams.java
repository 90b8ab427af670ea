package dev.sluice.receiver.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The driver-side streams of every live StreamingContext, for metrics. A stream leaves when its context stops, so a
 * later context (whose stream ids restart at 0) never shows an earlier one's values. Kept apart from
 * {@link DriverRuntime} on purpose: this class references no Spark type, so the agent's metrics thread can read it in a
 * JVM without Spark (loading DriverRuntime there would fail on its Spark signatures).
 */
public final class DriverStreams {

    private static final List<DriverStream> STREAMS = new CopyOnWriteArrayList<DriverStream>();

    private DriverStreams() {
    }

    static void add(DriverStream stream) {
        STREAMS.add(stream);
    }

    static void remove(DriverStream stream) {
        STREAMS.remove(stream);
    }

    /** The live streams (a snapshot); each object stays the same for its context's life and is replaced after it. */
    public static List<DriverStream> all() {
        return new ArrayList<DriverStream>(STREAMS);
    }
}
