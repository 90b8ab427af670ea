package dev.sluice.receiver.executor;

import dev.sluice.strategy.builtin.RateBudget;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;

/**
 * Lossy bulk stores under congestion go through the receiver's BlockGenerator, one record at a time, as
 * {@code store(single)} records do, instead of as one block per call.
 *
 * <p>Why: Spark makes every {@code store(Iterator)} call one block, and every block one task of the next batch (plus its
 * replication and its report to the driver). An overloaded receiver calls store far more often than usual (it reads
 * as fast as data arrives), and when drop or sample then keep a small share of each call, the batch fills with many
 * tiny blocks. Measured on the test bed (5× overload, 500-record chunks): about 46 blocks/s of ~70 records each instead
 * of ~9 blocks/s of 500, and the job processed a third fewer records per second for the task and block overhead.
 * Through the BlockGenerator the kept records form one block per block interval, whatever the call rate.
 *
 * <p>Only when nothing is promised about the call: no metadata (a reliable store keeps its own block), a strategy that
 * may discard (the stream has already given up "exactly what was stored"; throttle keeps whole calls), no self-limited
 * receiver and no receiver-owned BlockGenerator (Kinesis pattern), and the stream congested (offered rate above the
 * bound), so an uncongested stream's blocks are exactly Spark's. The trade-off: the call returns once its kept records
 * are in the BlockGenerator's buffer, not in a block (as for {@code store(single)}); a receiver that acknowledges its
 * source after {@code store(Iterator)} returns and cannot accept that sets {@code sluice.bulk.coalesce=false} (it already
 * accepted losing the records its strategy discards).
 */
final class BulkCoalescing {

    private BulkCoalescing() {
    }

    static boolean applies(ManagedStream stream) {
        if (!stream.coalescesBulk() || stream.isSelfLimited() || stream.isReliable() || stream.hasOwnBlockGenerator()
                || !stream.gate().strategy().mayDiscard()) {
            return false;
        }
        RateBudget budget = stream.budget();
        return budget.isBounded() && budget.offeredRate() > budget.bound();
    }

    /**
     * Offers every element to the gate and pushes the kept ones to {@code supervisor}. A kept element is counted admitted
     * and stored only once {@code pushSingle} returned (Spark's BlockGenerator has it); errors of the source or of
     * Spark's push propagate, leaving that element offered and unsettled.
     */
    static void push(ManagedStream stream, java.util.Iterator<?> records, ReceiverSupervisor supervisor) {
        while (records.hasNext()) {
            pushOne(stream, records.next(), supervisor);
        }
    }

    static void push(ManagedStream stream, scala.collection.Iterator<?> records, ReceiverSupervisor supervisor) {
        while (records.hasNext()) {
            pushOne(stream, records.next(), supervisor);
        }
    }

    private static void pushOne(ManagedStream stream, Object record, ReceiverSupervisor supervisor) {
        int verdict = ElementGate.offer(stream, record);
        if (verdict == ElementGate.DISCARDED) {
            return;
        }
        supervisor.pushSingle(record);
        if (verdict == ElementGate.COUNTED) {
            ElementGate.handOver(stream);
        }
    }
}
