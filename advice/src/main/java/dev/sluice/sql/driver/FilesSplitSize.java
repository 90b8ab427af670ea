package dev.sluice.sql.driver;

import java.lang.reflect.Method;

/**
 * The total size of one side of {@code FileStreamSource.takeFilesUntilMax}'s result: a {@code FilesSplit} (a private
 * case class of the source, public in bytecode: {@code public scala.math.BigInt size()}, {@code javap -p} on
 * spark-sql_2.13 4.0.1, 4.1.0 and 4.2.0), read by reflection because its class is private to Scala and differs by
 * engine package. {@code scala.math.BigInt} is a {@link Number}, so no Scala API is needed to read it.
 */
final class FilesSplitSize {

    private static final ClassValue<Method> SIZE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("size");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private FilesSplitSize() {
    }

    /** The split's bytes, saturated at {@link Long#MAX_VALUE} (the rest of a backlog may in principle pass it). */
    static long of(Object split) throws ReflectiveOperationException {
        Method size = SIZE.get(split.getClass());
        if (size == null) {
            throw new NoSuchMethodException(split.getClass().getName() + ".size()");
        }
        double bytes = ((Number) size.invoke(split)).doubleValue();
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0L, (long) bytes);
    }
}
