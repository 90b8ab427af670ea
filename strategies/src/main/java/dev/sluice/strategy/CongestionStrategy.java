package dev.sluice.strategy;

/**
 * What a receiver does with records offered while a bound is in force. This is Sluice's public SPI: a user's strategy
 * implements it, has a public no-argument constructor, and is named with {@code sluice.strategy=com.acme.MyStrategy}
 * (or per stream, {@code sluice.stream.<streamId>.strategy}).
 *
 * <p>One instance serves one input stream. Calls for one stream may come from several receiver threads at once, so an
 * implementation must be thread-safe. The runtime, not the strategy, counts offered, admitted and dropped records, so
 * {@code offered = admitted + dropped} holds whatever a strategy does; a strategy that throws is contained, counted and
 * replaced by throttle for that stream.
 *
 * <p>Both methods run on the receiver's storing thread: they must not allocate per record or take locks when the
 * budget is not exhausted (the uncongested path), and may block only if {@link #mayDiscard()} is false. A call that
 * runs longer than {@code sluice.userStrategy.deadline} (default 60 s) is interrupted, counted as a failure, and the
 * stream throttles from then on.
 */
public interface CongestionStrategy {

    /** Called once, before the first record, with the stream this instance serves. */
    default void init(StrategyContext context) {
    }

    /**
     * One record offered through {@code Receiver.store(record)} or one element of a stored iterator.
     *
     * @return true to store the record, false to discard it
     */
    boolean admit(Object record, Budget budget) throws InterruptedException;

    /**
     * A bulk store whose size is known ({@code store(ArrayBuffer)}): mark the records to keep with
     * {@link Chunk#keep(int)} or {@link Chunk#keepAll()}. Records not marked are discarded; kept records stay in their
     * original order.
     */
    void admitBulk(Chunk chunk, Budget budget) throws InterruptedException;

    /**
     * Whether this strategy can discard records. Lossy strategies are refused on reliable receivers (metadata stores, the
     * receiver write-ahead log) unless the user opts in with {@code sluice.reliable.allowLoss=true}.
     */
    boolean mayDiscard();
}
