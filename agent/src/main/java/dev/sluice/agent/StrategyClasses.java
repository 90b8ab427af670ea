package dev.sluice.agent;

import dev.sluice.agent.config.ConfigKeys;
import dev.sluice.agent.config.SluiceConfig;
import dev.sluice.strategy.builtin.Strategies;
import dev.sluice.strategy.builtin.StrategyLoadException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the strategy classes a configuration names ({@code sluice.strategy}, {@code sluice.stream.<id>.strategy}) where
 * the application's classes are visible: on the driver when its StreamingContext starts, and in {@code --check} with
 * {@code --classpath}. Executors would otherwise find out alone, each stream falling back to throttle.
 */
final class StrategyClasses {

    private StrategyClasses() {
    }

    /** One line per key whose class cannot be loaded, instantiated or is no strategy; empty when all are fine. */
    static List<String> problems(SluiceConfig config, ClassLoader... loaders) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : config.values().entrySet()) {
            String key = e.getKey();
            String value = e.getValue().trim();
            boolean strategyKey = key.equals(ConfigKeys.STRATEGY.name) || ConfigKeys.STREAM_STRATEGY.matcher(key).matches();
            if (!strategyKey || Strategies.isBuiltin(value)) {
                continue;
            }
            try {
                Strategies.create(value, loaders);
            } catch (StrategyLoadException | LinkageError failure) {
                out.add("Sluice: key '" + config.nameAsWritten(key) + "' names strategy class '" + value
                        + "', which cannot be used: " + failure.getMessage());
            }
        }
        return out;
    }

    /** The class-name strategies a configuration names, as "key=value". */
    static List<String> classNames(SluiceConfig config) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : config.values().entrySet()) {
            String key = e.getKey();
            if ((key.equals(ConfigKeys.STRATEGY.name) || ConfigKeys.STREAM_STRATEGY.matcher(key).matches())
                    && !Strategies.isBuiltin(e.getValue())) {
                out.add(config.nameAsWritten(key) + "=" + e.getValue().trim());
            }
        }
        return out;
    }
}
