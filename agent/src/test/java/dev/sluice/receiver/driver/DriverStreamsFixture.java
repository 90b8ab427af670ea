package dev.sluice.receiver.driver;

/** Test support for the agent's tests: a driver-side stream as the listener would have left it. */
public final class DriverStreamsFixture {

    private DriverStreamsFixture() {
    }

    public static DriverStream published(int streamId, long bound, long completedRecords) {
        DriverStream s = new DriverStream(streamId);
        s.published(bound);
        s.completed(completedRecords, 500, 20);
        DriverStreams.add(s);
        return s;
    }

    /** A stream of a live context before its first bound (as a direct Kafka stream starts). */
    public static DriverStream governed(int streamId) {
        DriverStream s = new DriverStream(streamId);
        DriverStreams.add(s);
        return s;
    }

    public static void remove(DriverStream s) {
        DriverStreams.remove(s);
    }
}
