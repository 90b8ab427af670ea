package dev.sluice.strategy;

/**
 * The admission budget of one input stream: a rate bound (records/s) with a burst of one block interval, shared by every
 * thread that stores into the stream. Implementations are lock-free and allocate nothing.
 */
public interface Budget {

    /** The bound in force, records/s; {@link Double#POSITIVE_INFINITY} when there is none. */
    double bound();

    /**
     * Takes up to {@code permits} permits without waiting.
     *
     * @return how many were granted, from 0 to {@code permits}
     */
    int tryAcquire(int permits);

    /**
     * Takes {@code permits} permits, waiting as long as the bound requires, but never longer than the stream's throttle
     * deadline ({@code sluice.throttle.maxWait}) and never past the receiver's stop: then the missing permits are granted
     * anyway (the records are stored, not lost; the runtime counts them). The wait re-checks the bound in short slices,
     * so a raised bound releases a waiting thread early.
     *
     * @return nanoseconds spent waiting
     */
    long acquire(int permits) throws InterruptedException;

    /** The rate at which records have recently been offered, records/s (0 before any offer). */
    double offeredRate();

    /** Records the bound allows per block interval (the burst); {@link Long#MAX_VALUE} when there is no bound. */
    long perInterval();
}
