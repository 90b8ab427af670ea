package dev.sluice.receiver.driver;

/**
 * The channel of an input stream without a receiver (a direct Kafka stream): nothing travels, because its bound is
 * enforced on the driver itself, where Spark plans each batch, from the {@link DriverStream} the context publishes to.
 */
final class PlannedAtBatchTime implements RateUpdateChannel {

    static final PlannedAtBatchTime INSTANCE = new PlannedAtBatchTime();

    private PlannedAtBatchTime() {
    }

    @Override
    public void send(int streamId, long recordsPerSecond) {
        // the planning advice reads the published bound
    }
}
