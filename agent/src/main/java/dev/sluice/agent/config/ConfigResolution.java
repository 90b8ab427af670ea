package dev.sluice.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sources of a configuration merged over the defaults and validated: values, origins, names as written. */
final class ConfigResolution {

    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> origins = new LinkedHashMap<>();
    final Map<String, String> writtenAs = new LinkedHashMap<>();

    private ConfigResolution() {
    }

    /**
     * Merges {@code layers} (lowest precedence first) over the defaults and validates the result.
     *
     * @throws ConfigException for the first invalid key, named as the user wrote it
     */
    static ConfigResolution of(List<ConfigLayer> layers) throws ConfigException {
        ConfigResolution r = new ConfigResolution();
        for (ConfigKey k : ConfigKeys.all()) {
            if (!k.defaultValue.isEmpty()) {
                r.values.put(k.name, k.defaultValue);
                r.origins.put(k.name, SluiceConfig.DEFAULT);
                r.writtenAs.put(k.name, k.name);
            }
        }
        for (ConfigLayer layer : layers) {
            for (Map.Entry<String, String> e : layer.values.entrySet()) {
                r.values.put(e.getKey(), e.getValue());
                r.origins.put(e.getKey(), layer.origin);
                r.writtenAs.put(e.getKey(), layer.writtenAs.get(e.getKey()));
            }
        }
        validate(r);
        return r;
    }

    private static void validate(ConfigResolution r) throws ConfigException {
        for (Map.Entry<String, String> e : r.values.entrySet()) {
            String problem = ConfigKeys.check(e.getKey(), e.getValue());
            if (problem != null) {
                throw new ConfigException(r.writtenAs.get(e.getKey()), e.getValue(), problem);
            }
        }
        checkOrder(r, ConfigKeys.GUARD_HEAP_RELIEF, ConfigKeys.GUARD_HEAP_STRESS);
        checkOrder(r, ConfigKeys.GUARD_STORAGE_RELIEF, ConfigKeys.GUARD_STORAGE_STRESS);
        checkOrder(r, ConfigKeys.RATE_MIN, ConfigKeys.RATE_MAX);
        checkOrder(r, ConfigKeys.RATE_INITIAL, ConfigKeys.RATE_MAX);
    }

    /** {@code low} must not exceed {@code high} (relief below stress, min below max). */
    private static void checkOrder(ConfigResolution r, ConfigKey low, ConfigKey high) throws ConfigException {
        Map<String, String> merged = r.values;
        String lo = merged.get(low.name);
        String hi = merged.get(high.name);
        if (lo == null || hi == null || lo.trim().isEmpty() || hi.trim().isEmpty()) {
            return;
        }
        if (Double.parseDouble(lo.trim()) > Double.parseDouble(hi.trim())) {
            throw new ConfigException(r.writtenAs.get(low.name), lo,
                    "a number <= " + r.writtenAs.get(high.name) + " (" + hi.trim() + ")");
        }
    }
}
