package dev.sluice.sql.driver;

import org.apache.spark.sql.connector.read.streaming.ReadLimit;

import java.lang.reflect.Method;

/**
 * The file source's bytes limit ({@code ReadLimit.maxBytes(long)} and {@code ReadMaxBytes.maxBytes()}, from Spark 4.0;
 * verified with {@code javap} on spark-catalyst 4.1.0), reached by reflection: Sluice compiles against 3.5's API, which
 * has neither. Looked up once, from the class loader that loaded {@code ReadLimit}; on a Spark without them (3.x) no
 * limit is ever a bytes limit.
 */
final class MaxBytesLimit {

    static final String READ_MAX_BYTES = "org.apache.spark.sql.connector.read.streaming.ReadMaxBytes";

    private MaxBytesLimit() {
    }

    /** True when {@code limit} is the source's {@code maxBytesPerTrigger} ({@code ReadMaxBytes}). */
    static boolean is(ReadLimit limit) {
        return limit != null && READ_MAX_BYTES.equals(limit.getClass().getName());
    }

    /** The bytes a {@code ReadMaxBytes} allows. */
    static long bytesOf(ReadLimit limit) throws ReflectiveOperationException {
        return (Long) Methods.get().maxBytes.invoke(limit);
    }

    /** {@code ReadLimit.maxBytes(bytes)}. */
    static ReadLimit of(long bytes) throws ReflectiveOperationException {
        return (ReadLimit) Methods.get().factory.invoke(null, bytes);
    }

    /** The two methods, resolved on first use (holder idiom: once, or an error each time when absent). */
    private static final class Methods {
        private static final Methods INSTANCE = resolve();
        final Method maxBytes;
        final Method factory;

        private Methods(Method maxBytes, Method factory) {
            this.maxBytes = maxBytes;
            this.factory = factory;
        }

        private static Methods resolve() {
            try {
                Class<?> readMaxBytes = Class.forName(READ_MAX_BYTES, false, ReadLimit.class.getClassLoader());
                return new Methods(readMaxBytes.getMethod("maxBytes"), ReadLimit.class.getMethod("maxBytes", long.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        static Methods get() throws NoSuchMethodException {
            if (INSTANCE == null) {
                throw new NoSuchMethodException("ReadLimit.maxBytes / ReadMaxBytes.maxBytes() (Spark 4.0+)");
            }
            return INSTANCE;
        }
    }
}
