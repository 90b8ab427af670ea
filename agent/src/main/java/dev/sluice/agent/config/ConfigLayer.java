package dev.sluice.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** One source: the Sluice keys it sets, and for each the name the user wrote (spark.sluice.x for SparkConf). */
final class ConfigLayer {

    final String origin;
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> writtenAs = new LinkedHashMap<>();

    ConfigLayer(String origin) {
        this.origin = origin;
    }

    ConfigLayer put(String key, String value, String written) {
        values.put(key, value);
        writtenAs.put(key, written);
        return this;
    }

    static ConfigLayer of(String origin, Map<String, String> values) {
        ConfigLayer l = new ConfigLayer(origin);
        for (Map.Entry<String, String> e : values.entrySet()) {
            l.put(e.getKey(), e.getValue(), e.getKey());
        }
        return l;
    }
}
