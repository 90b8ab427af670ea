package dev.sluice.receiver.driver;

/** Driver streams as the driver runtime registers them, for tests of code that reads {@link DriverStreams}. */
public final class DriverStreamsFixture {

    private DriverStreamsFixture() {
    }

    public static void reset() {
        for (DriverStream s : DriverStreams.all()) {
            DriverStreams.remove(s);
        }
    }

    /** A registered stream with a published bound and one completed batch of the given scheduling delay. */
    public static void stream(int id, long bound, long schedulingDelayMs) {
        DriverStream s = new DriverStream(id);
        s.published(bound);
        s.completed(100, 200, schedulingDelayMs);
        DriverStreams.add(s);
    }
}
