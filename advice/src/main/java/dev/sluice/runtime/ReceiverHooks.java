package dev.sluice.runtime;

import dev.sluice.strategy.builtin.ChunkSelection;
import dev.sluice.strategy.builtin.RecordSource;
import dev.sluice.strategy.builtin.StreamGate;
import org.apache.spark.streaming.receiver.Receiver;
import scala.collection.mutable.ArrayBuffer;

import java.nio.ByteBuffer;

/**
 * What the {@code Receiver.store} advice calls. Every method catches {@code Throwable}: on any Sluice failure the store
 * proceeds exactly as Spark would do it unadvised.
 *
 * <p>Hot path ({@link #discardSingle} with no bound or tokens available): an int read ({@code streamId()}), an array
 * read, the gate (volatile reads, with a bound a CAS, one atomic add; no clock read). No allocation, no lock, no logging.
 */
public final class ReceiverHooks {

    private ReceiverHooks() {
    }

    /** {@code store(T)}: true means the record is discarded and the call is skipped. */
    public static boolean discardSingle(Receiver<?> receiver, Object record) {
        try {
            return !StreamGates.of(receiver).gate().admitOne(record);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_SINGLE, t);
            return false;
        }
    }

    /** {@code store(ArrayBuffer[, metadata])}: the buffer to store, the caller's own when everything is kept. */
    public static ArrayBuffer<?> gateArrayBuffer(Receiver<?> receiver, ArrayBuffer<?> buffer, boolean withMetadata) {
        try {
            if (buffer == null) {
                return null;
            }
            ManagedStream stream = bulkStream(receiver, withMetadata, "store(ArrayBuffer, metadata)");
            int size = buffer.length();
            if (size == 0) {
                return buffer;
            }
            StreamGate gate = stream.gate();
            if (withMetadata && stream.hasOwnBlockGenerator()) {
                // Kinesis pattern: Spark's limiter already paced these records in the receiver's own BlockGenerator.
                // The budget of such a stream is unbounded, so this only counts them.
                gate.admitWeighted(size);
                return buffer;
            }
            ChunkSelection selection = new ChunkSelection(new ArrayBufferSource(buffer), size);
            gate.admitChunk(selection);
            return selection.allKept() ? buffer : ScalaBuffers.kept(buffer, selection);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ARRAY_BUFFER, t);
            return buffer;
        }
    }

    /** Returned by the {@code ...IteratorToStore} methods when the records are already stored: skip Spark's call. */
    public static final Object COALESCED = new Object();
    private static final String SCALA_RELIABLE = "store(Iterator, metadata)";
    private static final String JAVA_RELIABLE = "store(java.util.Iterator, metadata)";

    /**
     * {@code store(scala.Iterator)} (no metadata): {@link #COALESCED} when {@link BulkCoalescing} applies (the kept
     * records were pushed through the receiver's BlockGenerator), else the iterator to hand Spark: a lazy gate, or the
     * caller's own when Sluice failed. Errors of the source or of Spark's push propagate, as from Spark's own store.
     */
    public static Object scalaIteratorToStore(Receiver<?> receiver, scala.collection.Iterator<?> records) {
        ManagedStream stream = iteratorStream(receiver, records, false, SCALA_RELIABLE);
        if (stream == null) {
            return records;
        }
        if (coalesces(receiver, stream)) {
            BulkCoalescing.push(stream, records, receiver.supervisor());
            return COALESCED;
        }
        return PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateIterator(records, stream);
    }

    /** {@code store(java.util.Iterator)} (no metadata): as {@link #scalaIteratorToStore}. */
    public static Object javaIteratorToStore(Receiver<?> receiver, java.util.Iterator<?> records) {
        ManagedStream stream = iteratorStream(receiver, records, false, JAVA_RELIABLE);
        if (stream == null) {
            return records;
        }
        if (coalesces(receiver, stream)) {
            BulkCoalescing.push(stream, records, receiver.supervisor());
            return COALESCED;
        }
        return PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateJavaIterator(records, stream);
    }

    /** {@code store(scala.Iterator[, metadata])}: a lazy gate over the caller's iterator. */
    public static scala.collection.Iterator<?> gateScalaIterator(Receiver<?> receiver,
                                                                 scala.collection.Iterator<?> records,
                                                                 boolean withMetadata) {
        ManagedStream stream = iteratorStream(receiver, records, withMetadata, SCALA_RELIABLE);
        return stream == null ? records : PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateIterator(records, stream);
    }

    /** {@code store(java.util.Iterator[, metadata])}: a lazy gate, itself a java.util.Iterator. */
    public static java.util.Iterator<?> gateJavaIterator(Receiver<?> receiver, java.util.Iterator<?> records,
                                                         boolean withMetadata) {
        ManagedStream stream = iteratorStream(receiver, records, withMetadata, JAVA_RELIABLE);
        return stream == null ? records : PrepaidIterators.applies(stream) ? PrepaidIterators.prepaid(stream, records)
                : new GateJavaIterator(records, stream);
    }

    /** The stream of an iterator store; null for null records or when Sluice failed (counted). */
    private static ManagedStream iteratorStream(Receiver<?> receiver, Object records, boolean withMetadata,
                                                String reliableBecause) {
        try {
            return records == null ? null : bulkStream(receiver, withMetadata, reliableBecause);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return null;
        }
    }

    private static boolean coalesces(Receiver<?> receiver, ManagedStream stream) {
        try {
            return receiver.supervisor() != null && BulkCoalescing.applies(stream);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return false;
        }
    }

    /**
     * {@code store(ByteBuffer[, metadata])}: throttle only, weighing {@code max(1, remaining / sluice.bytes.perRecord)}
     * records (one per buffer when unset). Reads {@code remaining()} only: position and content are never touched.
     */
    public static void throttleBytes(Receiver<?> receiver, ByteBuffer bytes, boolean withMetadata) {
        try {
            if (bytes == null) {
                return;
            }
            ManagedStream stream = bulkStream(receiver, withMetadata, "store(ByteBuffer, metadata)");
            stream.gate().admitWeighted(byteBufferWeight(bytes.remaining(), bytesPerRecord()));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_BYTE_BUFFER, t);
        }
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
