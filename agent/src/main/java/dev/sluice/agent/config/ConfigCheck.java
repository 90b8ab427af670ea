package dev.sluice.agent.config;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration {@code java -jar sluice-agent.jar --check} validates: properties files (a Sluice file, or Spark's
 * spark-defaults.conf, whose {@code key value} lines Java properties also read) and {@code key=value} arguments.
 * {@code spark.sluice.*} keys count as Spark's configuration, other {@code spark.*} keys are Spark's business and are
 * skipped, every other key is checked as in a Sluice file; a later {@code key=value} argument overrides a file. The
 * resulting messages are the agent's own.
 */
public final class ConfigCheck {

    /** The outcome of a valid check: the configuration and how many Spark keys were skipped. */
    public static final class Result {
        public final SluiceConfig config;
        public final int skippedSparkKeys;

        Result(SluiceConfig config, int skippedSparkKeys) {
            this.config = config;
            this.skippedSparkKeys = skippedSparkKeys;
        }
    }

    private ConfigCheck() {
    }

    /**
     * @param inputs file paths and {@code key=value} pairs, in order
     * @throws ConfigException for the first invalid key or an unreadable file, as the agent says it at start-up
     */
    public static Result check(List<String> inputs) throws ConfigException {
        ConfigLayer files = new ConfigLayer("file");
        ConfigLayer spark = new ConfigLayer(SluiceConfig.SPARK_CONF);
        ConfigLayer commandLine = new ConfigLayer("command line");
        int skipped = 0;
        List<String> fileNames = new ArrayList<>();
        for (String input : inputs) {
            int eq = input.indexOf('=');
            boolean pair = eq > 0 && !new File(input).exists();
            if (pair) {
                skipped += add(input.substring(0, eq).trim(), input.substring(eq + 1).trim(), commandLine, spark);
            } else {
                fileNames.add(input);
                for (Map.Entry<String, String> e : SluiceConfig.readFile(input).entrySet()) {
                    skipped += add(e.getKey(), e.getValue(), files, spark);
                }
            }
        }
        ConfigLayer namedFiles = new ConfigLayer("file " + String.join(", ", fileNames));
        namedFiles.values.putAll(files.values);
        namedFiles.writtenAs.putAll(files.writtenAs);
        List<ConfigLayer> layers = new ArrayList<>();
        layers.add(namedFiles);
        layers.add(spark);
        layers.add(commandLine);
        return new Result(SluiceConfig.fromLayers(layers), skipped);
    }

    /** @return 1 when the key is a Spark key that is not Sluice's (skipped), else 0 */
    private static int add(String key, String value, ConfigLayer sluice, ConfigLayer spark) {
        if (SluiceConfig.isSparkSluiceKey(key)) {
            spark.put(key.substring(SluiceConfig.SPARK_PREFIX.length()), value, key);
            return 0;
        }
        if (key.startsWith(SluiceConfig.SPARK_PREFIX)) {
            return 1;
        }
        sluice.put(key.equals("config") ? ConfigKeys.CONFIG.name : key, value, key);
        return 0;
    }
}
