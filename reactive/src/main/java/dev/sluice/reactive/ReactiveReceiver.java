package dev.sluice.reactive;

import java.util.List;

import dev.sluice.strategy.SelfLimitedReceiver;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;

/**
 * A Spark receiver that subscribes to a Reactive Streams publisher and requests, per block interval, only what the
 * receiver's current rate bound allows. The bound is Spark's own {@code supervisor().getCurrentRateLimit()}: the
 * receiver's rate limiter, set by {@code spark.streaming.receiver.maxRate} and by Spark's back-pressure; with the
 * Sluice agent on the executor, its advice on {@code RateLimiter.getCurrentLimit} reports Sluice's bound instead.
 * When Spark reports no limit, {@link ReactiveReceiverOptions#fallbackRate()} applies.
 *
 * <p>A thin adapter: the subscriber logic is {@link BoundedDemandSubscriber}, one subscription's lifetime is a
 * {@link SubscriptionSession}; this class maps them onto Spark's receiver life cycle:
 * <ul>
 *   <li>{@code onStart}: a new session (new publisher from the factory) subscribing on its own thread;</li>
 *   <li>{@code onStop}: cancel, then store what was received;</li>
 *   <li>publisher error (or a failed store): {@code restart(message, error, delay)} with {@link RestartBackoff};
 *       Spark stops the receiver and starts it again, which is a fresh subscription;</li>
 *   <li>publisher complete: {@code stop("publisher completed")}, from a thread of its own so that neither the
 *       publisher's thread nor the session thread waits for Spark's stop.</li>
 * </ul>
 * Blocks are stored with {@code store(java.util.Iterator)}, which links on Scala 2.12 and 2.13 alike.
 */
public class ReactiveReceiver<T> extends Receiver<T> implements SelfLimitedReceiver {

    private static final long serialVersionUID = 1L;

    private final PublisherFactory<T> factory;
    private final ReactiveReceiverOptions options;

    private transient volatile SubscriptionSession<T> session;
    private transient volatile RestartBackoff backoff;

    public ReactiveReceiver(PublisherFactory<T> factory, StorageLevel storageLevel, ReactiveReceiverOptions options) {
        super(storageLevel);
        if (factory == null || options == null) {
            throw new NullPointerException("factory and options are required");
        }
        this.factory = factory;
        this.options = options;
    }

    public ReactiveReceiver(PublisherFactory<T> factory, StorageLevel storageLevel) {
        this(factory, storageLevel, ReactiveReceiverOptions.defaults());
    }

    @Override
    public void onStart() {
        long interval = blockIntervalMillis();
        DemandPolicy policy = new BoundDemandPolicy(() -> currentRateLimit(), options.fallbackRate(), interval);
        SubscriptionSession<T> s = new SubscriptionSession<T>(factory, new ReceiverSink(), policy, interval,
                newScheduler("sluice-reactive-receiver-" + streamId()));
        session = s;
        s.start();
    }

    @Override
    public void onStop() {
        SubscriptionSession<T> s = session;
        if (s != null) {
            s.stop();
        }
    }

    /** Records/s this receiver may take now; {@code Long.MAX_VALUE} when Spark sets no limit. */
    protected long currentRateLimit() {
        return supervisor().getCurrentRateLimit();
    }

    /** The thread and clock of a new session: a daemon thread on real time (tests drive their own). */
    protected SessionScheduler newScheduler(String threadName) {
        return new ThreadSessionScheduler(threadName);
    }

    /** The session in force (null before the first start); for diagnostics and tests. */
    public SubscriptionSession<T> session() {
        return session;
    }

    public ReactiveReceiverOptions options() {
        return options;
    }

    long blockIntervalMillis() {
        if (options.blockIntervalMillis() != ReactiveReceiverOptions.FROM_SPARK_CONF) {
            return options.blockIntervalMillis();
        }
        SparkConf conf = sparkConf();
        return conf == null ? 200 : conf.getTimeAsMs("spark.streaming.blockInterval", "200ms");
    }

    long restartDelayMillis() {
        if (options.restartDelayMillis() != ReactiveReceiverOptions.FROM_SPARK_CONF) {
            return options.restartDelayMillis();
        }
        SparkConf conf = sparkConf();
        return conf == null ? 2000 : conf.getInt("spark.streaming.receiverRestartDelay", 2000);
    }

    private static SparkConf sparkConf() {
        SparkEnv env = SparkEnv.get();
        return env == null ? null : env.conf();
    }

    private RestartBackoff backoff() {
        RestartBackoff b = backoff;
        if (b == null) {
            synchronized (this) {
                if (backoff == null) {
                    long base = restartDelayMillis();
                    backoff = new RestartBackoff(base, Math.max(base, options.maxRestartDelayMillis()));
                }
                b = backoff;
            }
        }
        return b;
    }

    /** Where the subscriber's blocks and terminal signals go: Spark's store, restart and stop. */
    private final class ReceiverSink implements Sink<T> {

        @Override
        public void store(List<T> block) {
            ReactiveReceiver.this.store(block.iterator());
        }

        @Override
        public void completed() {
            Thread t = new Thread(() -> ReactiveReceiver.this.stop("publisher completed"),
                    "sluice-reactive-complete-" + streamId());
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void failed(Throwable error) {
            SubscriptionSession<T> s = session;
            boolean progress = s != null && s.subscriber().received() > 0;
            int delay = (int) Math.min(Integer.MAX_VALUE, backoff().nextDelayMillis(progress));
            // Spark's restart runs stop + start on a thread of its own after the delay: a fresh subscription.
            ReactiveReceiver.this.restart("reactive publisher failed: " + error, error, delay);
        }
    }
}
