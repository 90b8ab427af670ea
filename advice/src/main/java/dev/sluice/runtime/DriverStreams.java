package dev.sluice.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every driver-side stream of every attached StreamingContext, for metrics. Kept apart from {@link DriverRuntime} on
 * purpose: this class references no Spark type, so the agent's metrics thread can read it in a JVM without Spark
 * (loading DriverRuntime there would fail on its Spark signatures).
 */
public final class DriverStreams {

    private static final List<DriverStream> STREAMS = new CopyOnWriteArrayList<DriverStream>();

    private DriverStreams() {
    }

    static void add(DriverStream stream) {
        STREAMS.add(stream);
    }

    /** A new StreamingContext started: Spark allows one active context per JVM, so the previous one's streams retire. */
    static void retireAll() {
        STREAMS.clear();
    }

    public static List<DriverStream> all() {
        return new ArrayList<DriverStream>(STREAMS);
    }
}
