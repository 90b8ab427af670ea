package dev.sluice.kafka.driver;

import scala.Option;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Map;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes Spark's {@code Map[TopicPartition, Long]} from Java with members that link on Scala 2.12 and 2.13
 * alike ({@code iterator}, {@code get}, {@code Option.isDefined/get}). {@code updated} differs in its erased return type
 * between the two lines ({@code immutable.Map} vs {@code MapOps}), so it is called reflectively through the public
 * interface; planning happens once per batch, so reflection costs nothing that matters.
 */
final class ScalaOffsets {

    private static volatile Method updated;

    private ScalaOffsets() {
    }

    /** The keys of {@code offsets}, in its iteration order. */
    static List<Object> keys(Map<?, ?> offsets) {
        List<Object> keys = new ArrayList<Object>(offsets.size());
        Iterator<? extends Tuple2<?, ?>> it = offsets.iterator();
        while (it.hasNext()) {
            keys.add(it.next()._1());
        }
        return keys;
    }

    /** The offset stored for {@code key}, or {@code missing}. */
    static long offset(Map<?, ?> offsets, Object key, long missing) {
        @SuppressWarnings("unchecked")
        Option<Object> value = ((Map<Object, Object>) offsets).get(key);
        return value.isDefined() ? ((Number) value.get()).longValue() : missing;
    }

    /** {@code template} with each key mapped to the matching count (keys absent from the template are added). */
    static Map<?, ?> withCounts(Map<?, ?> template, List<Object> keys, long[] counts) throws Exception {
        Method m = updatedMethod();
        Object map = template;
        for (int i = 0; i < keys.size(); i++) {
            map = m.invoke(map, keys.get(i), Long.valueOf(counts[i]));
        }
        return (Map<?, ?>) map;
    }

    private static Method updatedMethod() throws NoSuchMethodException {
        Method m = updated;
        if (m == null) {
            m = Map.class.getMethod("updated", Object.class, Object.class);
            updated = m;
        }
        return m;
    }
}
