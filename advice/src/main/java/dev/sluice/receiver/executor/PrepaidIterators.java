package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.ChunkSelection;
import dev.sluice.strategy.builtin.RecordSource;
import dev.sluice.strategy.builtin.StreamGate;
import scala.collection.AbstractIterator;

import java.util.ArrayList;
import java.util.NoSuchElementException;

/**
 * Iterator stores of a stream whose strategy waits instead of discarding (throttle), while a bound is in force: the
 * records are taken from the caller's iterator and paid for <i>before</i> Spark sees them, and Spark gets an iterator
 * over records that are already admitted.
 *
 * <p>Why: Spark makes one block of a stored iterator by unrolling it into memory it reserves from the storage pool
 * (unroll memory) as it pulls elements. A lazy gate that waits inside {@code hasNext} holds that reservation for the
 * whole wait (a 10 000-record store at 100 records/s: 100 s), keeping it from every other block and task of the
 * executor. Waiting first moves the wait outside Spark: during it the records sit in this array, on the receiver's
 * heap (where the memory guard sees them), and Spark's unroll then runs at full speed. The wait is bounded by
 * {@code sluice.throttle.maxWait} and ends at the receiver's stop, like every throttle wait. The cost: one array per
 * store, holding the call's records. Errors of the source iterator propagate from the store, as from Spark's own
 * unroll, and the records already taken from it are not stored, as in Spark.
 */
final class PrepaidIterators {

    private PrepaidIterators() {
    }

    /** Whether an iterator store of {@code stream} is paid for first: its strategy may wait, and a bound is in force. */
    static boolean applies(ManagedStream stream) {
        return stream.budget().isBounded() && !stream.isSelfLimited() && !stream.hasOwnBlockGenerator()
                && !stream.gate().strategy().mayDiscard();
    }

    static scala.collection.Iterator<Object> prepaid(ManagedStream stream, scala.collection.Iterator<?> records) {
        ArrayList<Object> taken = new ArrayList<Object>();
        while (records.hasNext()) {
            taken.add(records.next());
        }
        return new ArrayIterator(stream, admitted(stream, taken.toArray()));
    }

    static java.util.Iterator<Object> prepaid(ManagedStream stream, java.util.Iterator<?> records) {
        ArrayList<Object> taken = new ArrayList<Object>();
        while (records.hasNext()) {
            taken.add(records.next());
        }
        final ArrayIterator admitted = new ArrayIterator(stream, admitted(stream, taken.toArray()));
        return new java.util.Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return admitted.hasNext();
            }

            @Override
            public Object next() {
                return admitted.next();
            }
        };
    }

    /**
     * The records the gate admits, in order (all of them under throttle); all of them if Sluice itself failed. Offered
     * and the selection are committed here, once the wait is over; each record counts as stored when Spark takes it.
     */
    private static Object[] admitted(ManagedStream stream, final Object[] records) {
        StreamGate gate = null;
        try {
            StreamGate g = stream.gate();
            g.offer(records.length);
            gate = g;
            ChunkSelection selection = new ChunkSelection(new RecordSource() {
                @Override
                public Object recordAt(int index) {
                    return records[index];
                }
            }, records.length);
            gate.decideChunk(selection);
            int keptCount = selection.keptCount();
            gate.commit(keptCount, records.length - keptCount);
            if (selection.allKept()) {
                return records;
            }
            Object[] kept = new Object[keptCount];
            int n = 0;
            for (int i = selection.nextKept(0); i >= 0; i = selection.nextKept(i + 1)) {
                kept[n++] = records[i];
            }
            return kept;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            if (gate != null) {
                gate.commit(records.length, 0); // offered and unsettled: Spark gets every record, as unadvised
            }
            return records;
        }
    }

    /** A Scala iterator over an array: a Java subclass of AbstractIterator, which links on Scala 2.12 and 2.13. */
    static final class ArrayIterator extends AbstractIterator<Object> {
        private final StreamGate gate;
        private final Object[] records;
        private int next;

        ArrayIterator(ManagedStream stream, Object[] records) {
            this.gate = stream.gate();
            this.records = records;
        }

        @Override
        public boolean hasNext() {
            return next < records.length;
        }

        @Override
        public Object next() {
            if (next >= records.length) {
                throw new NoSuchElementException("next on empty iterator");
            }
            gate.stored(1); // handed over to Spark
            return records[next++];
        }
    }
}
