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
            return !StreamGates.of(receiver.streamId()).gate().admitOne(record);
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

    /**
     * {@code store(scala.Iterator)} (no metadata): when {@link BulkCoalescing} applies, stores the kept records through
     * the receiver's BlockGenerator and returns true (Spark's call is then skipped); else false, and nothing is
     * consumed. Errors of the source or of Spark's push propagate, as they would from Spark's own store.
     */
    public static boolean coalescedScalaIterator(Receiver<?> receiver, scala.collection.Iterator<?> records) {
        ManagedStream stream = coalescingStream(receiver, records);
        if (stream == null) {
            return false;
        }
        BulkCoalescing.push(stream, records, receiver.supervisor());
        return true;
    }

    /** {@code store(java.util.Iterator)} (no metadata): as {@link #coalescedScalaIterator}. */
    public static boolean coalescedJavaIterator(Receiver<?> receiver, java.util.Iterator<?> records) {
        ManagedStream stream = coalescingStream(receiver, records);
        if (stream == null) {
            return false;
        }
        BulkCoalescing.push(stream, records, receiver.supervisor());
        return true;
    }

    private static ManagedStream coalescingStream(Receiver<?> receiver, Object records) {
        try {
            if (records == null || receiver.supervisor() == null) {
                return null;
            }
            ManagedStream stream = bulkStream(receiver, false, "store(Iterator, metadata)");
            return BulkCoalescing.applies(stream) ? stream : null;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return null;
        }
    }

    /** {@code store(scala.Iterator[, metadata])}: a lazy gate over the caller's iterator. */
    public static scala.collection.Iterator<?> gateScalaIterator(Receiver<?> receiver,
                                                                 scala.collection.Iterator<?> records,
                                                                 boolean withMetadata) {
        try {
            if (records == null) {
                return null;
            }
            return new GateIterator(records, bulkStream(receiver, withMetadata, "store(Iterator, metadata)"));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return records;
        }
    }

    /** {@code store(java.util.Iterator[, metadata])}: a lazy gate, itself a java.util.Iterator. */
    public static java.util.Iterator<?> gateJavaIterator(Receiver<?> receiver, java.util.Iterator<?> records,
                                                         boolean withMetadata) {
        try {
            if (records == null) {
                return null;
            }
            return new GateJavaIterator(records,
                    bulkStream(receiver, withMetadata, "store(java.util.Iterator, metadata)"));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return records;
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
        ManagedStream stream = StreamGates.of(receiver.streamId());
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
