package dev.sluice.examples.lifecycle;

import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.scheduler.RateController;
import org.apache.spark.streaming.scheduler.rate.RateEstimator;

import scala.Option;
import scala.reflect.ClassTag$;

/**
 * A receiver input stream whose rate controller publishes a constant rate after every batch, the way Spark's own
 * RateControllerSuite tests rate publication (Spark's {@code ReceiverRateController} with an estimator of its own).
 */
final class ControlledInputDStream extends ReceiverInputDStream<Long> {

    private static final long serialVersionUID = 1L;

    private final Receiver<Long> receiver;
    private final Option<RateController> controller;

    ControlledInputDStream(StreamingContext ssc, Receiver<Long> receiver, long rate) {
        super(ssc, ClassTag$.MODULE$.<Long>apply(Long.class));
        this.receiver = receiver;
        this.controller = Option.<RateController>apply(new ReceiverRateController(id(), new ConstantEstimator(rate)));
    }

    @Override
    public Receiver<Long> getReceiver() {
        return receiver;
    }

    @Override
    public Option<RateController> rateController() {
        return controller;
    }

    /** Always the same rate (records/s). */
    static final class ConstantEstimator implements RateEstimator {
        private static final long serialVersionUID = 1L;
        private final double rate;

        ConstantEstimator(long rate) {
            this.rate = rate;
        }

        @Override
        public Option<Object> compute(long time, long elements, long processingDelay, long schedulingDelay) {
            return Option.<Object>apply(Double.valueOf(rate));
        }
    }
}
