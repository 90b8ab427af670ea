package dev.sluice.runtime;

import org.apache.spark.SparkEnv;
import scala.Tuple2;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This JVM's Spark configuration as Spark itself holds it, {@code SparkEnv.get().conf()}: on the driver the
 * SparkContext's configuration (spark-submit's {@code --conf}, spark-defaults.conf, what the application set), on an
 * executor the driver's configuration as the executor fetched it at start-up. Called only from a Spark hook, when
 * Spark's classes are certainly visible.
 */
public final class SparkConfEntries {

    private SparkConfEntries() {
    }

    /** The entries whose names start with {@code prefix}; null when this JVM has no SparkEnv (yet). */
    public static Map<String, String> withPrefix(String prefix) {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<String, String>();
        for (Tuple2<String, String> e : env.conf().getAll()) {
            if (e._1().startsWith(prefix)) {
                out.put(e._1(), e._2());
            }
        }
        return out;
    }

    /** "driver" or "executor" by SparkEnv's executor id; null without a SparkEnv. */
    public static String role() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return null;
        }
        return "driver".equals(env.executorId()) ? "driver" : "executor";
    }
}
