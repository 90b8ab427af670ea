package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.strategy.builtin.ChunkSelection;
import dev.sluice.strategy.builtin.RecordSource;
import dev.sluice.strategy.builtin.StreamGate;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;
import scala.collection.mutable.ArrayBuffer;

import java.nio.ByteBuffer;

/**
 * What the {@code Receiver.store} advice calls. Every method catches {@code Throwable}: on any Sluice failure the store
 * proceeds exactly as Spark would do it unadvised, and after {@code sluice.advice.maxErrors} failures of a hook that
 * hook is a pass-through ({@link AdviceErrors}).
 *
 * <p>Accounting (see {@code StreamCounters}): records are counted offered at the entry, admitted or dropped once their
 * fate is final, and stored from what is actually handed to Spark. A record that goes to Spark unadvised because of a
 * contained failure after it was offered is counted admitted and stored (its fate: Spark got it).
 *
 * <p>Hot path ({@link #discardSingle} with no bound or tokens available): a volatile read (the breaker), an int read
 * ({@code streamId()}), an array read, the gate (one atomic add for offered, the strategy's volatile reads and with a
 * bound a CAS, two uncontended adds; no clock read). No allocation, no lock, no logging.
 */
public final class ReceiverHooks {

    private ReceiverHooks() {
    }

    /** {@code store(T)}: true means the record is discarded and the call is skipped. */
    public static boolean discardSingle(Receiver<?> receiver, Object record) {
        if (AdviceErrors.bypassed(AdviceErrors.Hook.STORE_SINGLE)) {
            return false;
        }
        StreamGate gate = null;
        try {
            StreamGate g = StreamGates.of(receiver).gate();
            g.offer(1);
            gate = g; // offered: a failure from here on settles the record as stored unadvised
            if (gate.decideOne(record)) {
                gate.commit(1, 0);
                gate.stored(1); // the call proceeds: Spark's store(T) gets the record
                return false;
            }
            gate.commit(0, 1);
            return true;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_SINGLE, t);
            settleUnadvised(gate, 1);
            return false;
        }
    }

    /** {@code store(ArrayBuffer[, metadata])}: the buffer to store, the caller's own when everything is kept. */
    public static ArrayBuffer<?> gateArrayBuffer(Receiver<?> receiver, ArrayBuffer<?> buffer, boolean withMetadata) {
        if (buffer == null || AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ARRAY_BUFFER)) {
            return buffer;
        }
        StreamGate gate = null;
        int offered = 0;
        try {
            ManagedStream stream = bulkStream(receiver, withMetadata, "store(ArrayBuffer, metadata)");
            int size = buffer.length();
            if (size == 0) {
                return buffer;
            }
            gate = stream.gate();
            gate.offer(size);
            offered = size;
            if (withMetadata && stream.hasOwnBlockGenerator()) {
                // Kinesis pattern: Spark's limiter already paced these records in the receiver's own BlockGenerator.
                // The budget of such a stream is unbounded, so this only counts them.
                gate.commit(size, 0);
                gate.stored(buffer.length());
                return buffer;
            }
            ChunkSelection selection = new ChunkSelection(new ArrayBufferSource(buffer), size);
            gate.decideChunk(selection);
            ArrayBuffer<?> out = selection.allKept() ? buffer : keptOrWhole(buffer, selection);
            int admitted = out == buffer ? size : selection.keptCount();
            offered = 0; // settled below
            gate.commit(admitted, size - admitted);
            gate.stored(out.length());
            return out;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ARRAY_BUFFER, t);
            settleUnadvised(gate, offered);
            return buffer;
        }
    }

    /** The kept records in a new buffer; the caller's whole buffer when that cannot be built (counted). */
    private static ArrayBuffer<?> keptOrWhole(ArrayBuffer<?> buffer, ChunkSelection selection) {
        try {
            return ScalaBuffers.kept(buffer, selection);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ARRAY_BUFFER, t);
            return buffer;
        }
    }

    /** Offered records that go to Spark unadvised after a contained failure: admitted and stored. */
    private static void settleUnadvised(StreamGate gate, int records) {
        if (gate == null || records <= 0) {
            return;
        }
        try {
            gate.commit(records, 0);
            gate.stored(records);
        } catch (Throwable ignored) {
            // already counted as the hook's error
        }
    }

    /** Returned by the {@code ...IteratorToStore} methods when the records are already stored: skip Spark's call. */
    public static final Object COALESCED = new Object();
    private static final String SCALA_RELIABLE = "store(Iterator, metadata)";
    private static final String JAVA_RELIABLE = "store(java.util.Iterator, metadata)";

    /**
     * {@code store(scala.Iterator)} (no metadata): {@link #COALESCED} when {@link BulkCoalescing} applies (the kept
     * records were pushed through the receiver's BlockGenerator), else the iterator to hand Spark: a lazy gate, the
     * caller's own when Sluice failed, or one that rethrows the error the caller's iterator or Spark's push raised while
     * coalescing (so Spark's own store throws it to the caller, as unadvised). Never throws.
     */
    public static Object scalaIteratorToStore(Receiver<?> receiver, scala.collection.Iterator<?> records) {
        return iteratorToStore(receiver, records, true);
    }

    /** {@code store(java.util.Iterator)} (no metadata): as {@link #scalaIteratorToStore}. */
    public static Object javaIteratorToStore(Receiver<?> receiver, java.util.Iterator<?> records) {
        return iteratorToStore(receiver, records, false);
    }

    private static Object iteratorToStore(Receiver<?> receiver, Object records, boolean scala) {
        ManagedStream stream = iteratorStream(receiver, records, false, scala ? SCALA_RELIABLE : JAVA_RELIABLE);
        if (stream == null) {
            return records;
        }
        ReceiverSupervisor supervisor = coalescingSupervisor(receiver, stream);
        if (supervisor == null) {
            return scala ? gateScala(stream, (scala.collection.Iterator<?>) records)
                    : gateJava(stream, (java.util.Iterator<?>) records);
        }
        try {
            if (scala) {
                BulkCoalescing.push(stream, (scala.collection.Iterator<?>) records, supervisor);
            } else {
                BulkCoalescing.push(stream, (java.util.Iterator<?>) records, supervisor);
            }
            return COALESCED;
        } catch (Throwable callersError) {
            return scala ? FailedStore.scalaRethrowing(callersError) : FailedStore.javaRethrowing(callersError);
        }
    }

    /** {@code store(scala.Iterator[, metadata])}: a lazy gate over the caller's iterator. */
    public static scala.collection.Iterator<?> gateScalaIterator(Receiver<?> receiver,
                                                                 scala.collection.Iterator<?> records,
                                                                 boolean withMetadata) {
        ManagedStream stream = iteratorStream(receiver, records, withMetadata, SCALA_RELIABLE);
        return stream == null ? records : gateScala(stream, records);
    }

    /** {@code store(java.util.Iterator[, metadata])}: a lazy gate, itself a java.util.Iterator. */
    public static java.util.Iterator<?> gateJavaIterator(Receiver<?> receiver, java.util.Iterator<?> records,
                                                         boolean withMetadata) {
        ManagedStream stream = iteratorStream(receiver, records, withMetadata, JAVA_RELIABLE);
        return stream == null ? records : gateJava(stream, records);
    }

    /** Paid for before Spark unrolls when the stream waits instead of discarding (PrepaidIterators), else lazy. */
    private static scala.collection.Iterator<?> gateScala(ManagedStream stream, scala.collection.Iterator<?> records) {
        return PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateIterator(records, stream);
    }

    private static java.util.Iterator<?> gateJava(ManagedStream stream, java.util.Iterator<?> records) {
        return PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateJavaIterator(records, stream);
    }

    /** The stream of an iterator store; null for null records or when Sluice failed (counted). */
    private static ManagedStream iteratorStream(Receiver<?> receiver, Object records, boolean withMetadata,
                                                String reliableBecause) {
        if (AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ITERATOR)) {
            return null;
        }
        try {
            return records == null ? null : bulkStream(receiver, withMetadata, reliableBecause);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return null;
        }
    }

    /** The supervisor to push through when {@link BulkCoalescing} applies, else null. */
    private static ReceiverSupervisor coalescingSupervisor(Receiver<?> receiver, ManagedStream stream) {
        try {
            return BulkCoalescing.applies(stream) ? receiver.supervisor() : null;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return null;
        }
    }

    /**
     * {@code store(ByteBuffer[, metadata])}: throttle only, weighing {@code max(1, remaining / sluice.bytes.perRecord)}
     * records (one per buffer when unset). Reads {@code remaining()} only: position and content are never touched.
     */
    public static void throttleBytes(Receiver<?> receiver, ByteBuffer bytes, boolean withMetadata) {
        if (bytes == null || AdviceErrors.bypassed(AdviceErrors.Hook.STORE_BYTE_BUFFER)) {
            return;
        }
        StreamGate gate = null;
        int weight = 0;
        try {
            ManagedStream stream = bulkStream(receiver, withMetadata, "store(ByteBuffer, metadata)");
            weight = byteBufferWeight(bytes.remaining(), bytesPerRecord());
            StreamGate g = stream.gate();
            g.offer(weight);
            gate = g;
            gate.awaitPermits(weight);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_BYTE_BUFFER, t);
        }
        settleUnadvised(gate, weight); // bytes are never cut: whatever happened, Spark gets the buffer
    }

    /**
     * The stream of a bulk store, with the two facts a bulk store can reveal: the receiver's class (self-limited
     * receivers) and metadata (reliable receivers).
     */
    private static ManagedStream bulkStream(Receiver<?> receiver, boolean withMetadata, String reliableBecause) {
        ManagedStream stream = StreamGates.of(receiver);
        stream.noteReceiverClass(receiver.getClass());
        if (withMetadata) {
            stream.markReliable(reliableBecause);
        }
        return stream;
    }

    static int byteBufferWeight(int remainingBytes, long bytesPerRecord) {
        if (bytesPerRecord <= 0) {
            return 1;
        }
        return (int) Math.max(1L, remainingBytes / bytesPerRecord);
    }

    private static volatile long bytesPerRecordCache = Long.MIN_VALUE;

    private static long bytesPerRecord() {
        long v = bytesPerRecordCache;
        if (v == Long.MIN_VALUE) {
            v = SluiceRuntime.settings().getLong("sluice.bytes.perRecord", 0);
            bytesPerRecordCache = v;
        }
        return v;
    }

    /** Indexed view of a Scala ArrayBuffer ({@code apply(int)} links on 2.12 and 2.13). */
    private static final class ArrayBufferSource implements RecordSource {
        private final ArrayBuffer<?> buffer;

        ArrayBufferSource(ArrayBuffer<?> buffer) {
            this.buffer = buffer;
        }

        @Override
        public Object recordAt(int index) {
            return buffer.apply(index);
        }
    }
}
