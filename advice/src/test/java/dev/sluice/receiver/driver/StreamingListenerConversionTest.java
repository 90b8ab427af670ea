package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.OutputOperationInfo;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Map;
import scala.collection.immutable.Map$;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BatchInfo (a real Spark 3.5.7 object) → BatchSample, as the listener converts it. */
class StreamingListenerConversionTest {

    @SuppressWarnings("unchecked")
    private static Map<Object, StreamInputInfo> inputs(StreamInputInfo... infos) {
        Map<Object, StreamInputInfo> m = Map$.MODULE$.<Object, StreamInputInfo>empty();
        for (StreamInputInfo i : infos) {
            m = m.$plus(new Tuple2<Object, StreamInputInfo>(i.inputStreamId(), i)); // 2.12 test code only
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, OutputOperationInfo> noOutputs() {
        return Map$.MODULE$.<Object, OutputOperationInfo>empty();
    }

    private static StreamInputInfo input(int id, long records) {
        return new StreamInputInfo(id, records, Map$.MODULE$.<String, Object>empty());
    }

    @Test
    void completedBatchCarriesRecordsPerStreamAndTimes() {
        BatchInfo info = new BatchInfo(new Time(5000), inputs(input(0, 1200), input(2, 30)), 5010,
                Option.<Object>apply(5100L), Option.<Object>apply(5900L), noOutputs());
        BatchSample s = SluiceStreamingListener.toSample(info, 1000, new int[] {0, 1, 2});
        assertEquals(5000, s.batchTimeMs);
        assertEquals(1000, s.batchIntervalMs);
        assertEquals(5010, s.submissionTimeMs);
        assertEquals(5100, s.processingStartMs);
        assertEquals(5900, s.processingEndMs);
        assertEquals(1200, s.recordsOf(0));
        assertEquals(0, s.recordsOf(1), "a stream absent from the batch has 0 records");
        assertEquals(30, s.recordsOf(2));
        assertEquals(800, s.processingDelayMs());
        assertEquals(90, s.schedulingDelayMs());
    }

    @Test
    void submittedBatchHasNoProcessingTimesYet() {
        BatchInfo info = new BatchInfo(new Time(6000), inputs(input(0, 7)), 6003, Option.empty(), Option.empty(),
                noOutputs());
        BatchSample s = SluiceStreamingListener.toSample(info, 1000, new int[] {0});
        assertEquals(-1, s.processingStartMs);
        assertEquals(-1, s.processingEndMs);
        assertEquals(7, s.recordsOf(0));
    }
}
