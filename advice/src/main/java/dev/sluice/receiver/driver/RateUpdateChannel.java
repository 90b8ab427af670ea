package dev.sluice.receiver.driver;

/**
 * How a bound reaches the place that enforces it. For receiver streams that is Spark's own rate-update RPC
 * ({@link ReceiverTrackerChannel}); an input stream without a receiver would bring its own channel. Free of Spark types,
 * so {@link DriverContext} can be exercised without a StreamingContext.
 */
interface RateUpdateChannel {

    /** Sends {@code recordsPerSecond} (positive) for {@code streamId}; silently dropped where Spark has no receiver yet. */
    void send(int streamId, long recordsPerSecond);
}
