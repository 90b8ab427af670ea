package dev.sluice.agent.config;

import dev.sluice.runtime.RuntimeSettings;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The resolved configuration. Sources, highest precedence first: agent arguments ({@code config=/path} and inline
 * {@code key=value} pairs separated by ','), {@code -Dsluice.*} system properties, {@code SLUICE_*} environment variables
 * (key upper-cased, '.' → '_'), Spark's configuration ({@code spark.sluice.*}: at start-up the JVM's {@code spark.*}
 * system properties, later the SparkConf itself, see {@link #withSparkConf}), the properties file, the declared
 * defaults.
 */
public final class SluiceConfig {

    /** What the start-up line and {@link #originOf} call each source. */
    public static final String AGENT_ARGUMENT = "agent argument";
    public static final String SYSTEM_PROPERTY = "-D";
    public static final String ENVIRONMENT = "environment";
    public static final String SPARK_CONF = "SparkConf";
    public static final String DEFAULT = "default";
    /** The prefix under which Spark's configuration carries Sluice's keys: spark.sluice.strategy = sluice.strategy. */
    public static final String SPARK_PREFIX = "spark.";

    private final Map<String, String> values;
    private final Map<String, String> origins;

    /** SLUICE_* environment variables that name no key: ignored, and named once in a warning at start-up. */
    private final java.util.List<String> ignoredEnvironment;
    /** The raw sources, kept so that Spark's configuration can be added when it exists ({@link #withSparkConf}). */
    private final Inputs inputs;

    private SluiceConfig(Map<String, String> values, Map<String, String> origins, java.util.List<String> ignoredEnvironment,
                         Inputs inputs) {
        this.values = values;
        this.origins = origins;
        this.ignoredEnvironment = ignoredEnvironment;
        this.inputs = inputs;
    }

    /** The JVM's own sources, read once at start-up; Spark's configuration is the part that can arrive later. */
    private static final class Inputs {
        final Map<String, String> args;
        final Map<String, String> sys;
        final Map<String, String> env;
        final java.util.List<String> ignoredEnv;

        Inputs(Map<String, String> args, Map<String, String> sys, Map<String, String> env,
               java.util.List<String> ignoredEnv) {
            this.args = args;
            this.sys = sys;
            this.env = env;
            this.ignoredEnv = ignoredEnv;
        }
    }

    /**
     * The {@code SLUICE_*} environment variables that name no key. Unlike an unknown key in the file, the agent
     * arguments or {@code -Dsluice.*} (which the user wrote for the agent, so a typo is an error), the environment is
     * shared with other tools (Sluice's own test harness reads {@code SLUICE_SPARK_HOMES}), so such variables are ignored
     * and named in one warning.
     */
    public java.util.List<String> ignoredEnvironment() {
        return java.util.Collections.unmodifiableList(ignoredEnvironment);
    }

    public static SluiceConfig load(String agentArgs) throws ConfigException {
        return load(agentArgs, System.getProperties(), System.getenv());
    }

    /**
     * The configuration at JVM start: Spark's configuration is what the JVM's {@code spark.sluice.*} system properties
     * carry then (a cluster-mode driver gets every {@code --conf} that way; an executor gets none).
     */
    public static SluiceConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment)
            throws ConfigException {
        Map<String, String> args = parseAgentArgs(agentArgs);
        Map<String, String> sys = fromSystemProperties(systemProperties);
        java.util.List<String> ignoredEnv = new java.util.ArrayList<>();
        Map<String, String> env = fromEnvironment(environment, ignoredEnv);
        Map<String, String> spark = new LinkedHashMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            spark.put(name, systemProperties.getProperty(name));
        }
        return resolve(new Inputs(args, sys, env, ignoredEnv), spark);
    }

    /**
     * This configuration with Spark's: {@code sparkConf} holds SparkConf entries (all of them or only the
     * {@code spark.sluice.*} ones; others are ignored). It replaces what the system properties said at start-up. Called
     * when the first Spark hook fires, with {@code SparkEnv.get().conf()}: on the driver that is after the SparkContext
     * exists, on an executor after it has fetched the driver's configuration.
     *
     * @throws ConfigException naming the key as written ({@code spark.sluice.…}), the value and what is allowed
     */
    public SluiceConfig withSparkConf(Map<String, String> sparkConf) throws ConfigException {
        return resolve(inputs, sparkConf);
    }

    /** The {@code spark.sluice.*} entries of a Spark configuration, under their Sluice names. */
    static ConfigLayer sparkLayer(Map<String, String> sparkConf) {
        ConfigLayer spark = new ConfigLayer(SPARK_CONF);
        for (Map.Entry<String, String> e : sparkConf.entrySet()) {
            if (isSparkSluiceKey(e.getKey())) {
                spark.put(e.getKey().substring(SPARK_PREFIX.length()), e.getValue(), e.getKey());
            }
        }
        return spark;
    }

    /** Whether a Spark property carries a Sluice key ({@code spark.sluice.*}). */
    public static boolean isSparkSluiceKey(String name) {
        return name.startsWith(SPARK_PREFIX + "sluice.");
    }

    private static SluiceConfig resolve(Inputs in, Map<String, String> sparkConf) throws ConfigException {
        ConfigLayer spark = sparkLayer(sparkConf);
        // Where the file is: itself subject to precedence (args `config=` > -Dsluice.config > SLUICE_CONFIG > SparkConf).
        String filePath = firstNonEmpty(in.args.get(ConfigKeys.CONFIG.name), in.sys.get(ConfigKeys.CONFIG.name),
                in.env.get(ConfigKeys.CONFIG.name), spark.values.get(ConfigKeys.CONFIG.name));
        java.util.List<ConfigLayer> layers = new java.util.ArrayList<>();
        if (filePath != null) {
            layers.add(ConfigLayer.of("file " + filePath.trim(), readFile(filePath.trim())));
        }
        layers.add(spark);
        layers.add(ConfigLayer.of(ENVIRONMENT, in.env));
        layers.add(ConfigLayer.of(SYSTEM_PROPERTY, in.sys));
        layers.add(ConfigLayer.of(AGENT_ARGUMENT, in.args));
        ConfigResolution r = ConfigResolution.of(layers);
        return new SluiceConfig(r.values, r.origins, in.ignoredEnv, in);
    }

    /** A configuration from explicit sources (lowest precedence first), as {@code --check} builds it. */
    static SluiceConfig fromLayers(java.util.List<ConfigLayer> layers) throws ConfigException {
        ConfigResolution r = ConfigResolution.of(layers);
        Inputs none = new Inputs(new LinkedHashMap<String, String>(), new LinkedHashMap<String, String>(),
                new LinkedHashMap<String, String>(), new java.util.ArrayList<String>());
        return new SluiceConfig(r.values, r.origins, none.ignoredEnv, none);
    }

    public String get(ConfigKey key) {
        String v = values.get(key.name);
        return v == null ? "" : v.trim();
    }

    public boolean getBoolean(ConfigKey key) {
        return Boolean.parseBoolean(get(key));
    }

    public Map<String, String> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The key as the user wrote it: {@code spark.sluice.x} when it came from Spark's configuration. */
    public String nameAsWritten(String key) {
        return SPARK_CONF.equals(origins.get(key)) ? SPARK_PREFIX + key : key;
    }

    /** Where a key's value came from ("default", "file /x", "environment", ...), for the start-up line. */
    public String originOf(String key) {
        return origins.get(key);
    }

    public RuntimeSettings toRuntimeSettings() {
        return new RuntimeSettings(values);
    }

    /**
     * The keys set by the user (not defaults), grouped by where they came from, highest precedence first, for the
     * start-up line: {@code "agent argument: sluice.strategy=drop; file /etc/sluice.properties: sluice.rate.max=900"}.
     */
    public String describeUserSettings() {
        Map<String, StringBuilder> byOrigin = new java.util.TreeMap<>(new java.util.Comparator<String>() {
            @Override
            public int compare(String a, String b) {
                int byRank = Integer.compare(rank(b), rank(a));
                return byRank != 0 ? byRank : a.compareTo(b);
            }
        });
        for (Map.Entry<String, String> e : values.entrySet()) {
            String origin = origins.get(e.getKey());
            if (DEFAULT.equals(origin)) {
                continue;
            }
            StringBuilder sb = byOrigin.get(origin);
            if (sb == null) {
                sb = new StringBuilder();
                byOrigin.put(origin, sb);
            } else {
                sb.append(", ");
            }
            sb.append(nameAsWritten(e.getKey())).append('=').append(e.getValue());
        }
        if (byOrigin.isEmpty()) {
            return "defaults only";
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, StringBuilder> e : byOrigin.entrySet()) {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(e.getKey()).append(": ").append(e.getValue());
        }
        return out.toString();
    }

    /** Precedence of an origin (higher wins); files and {@code --check}'s command line by their prefix. */
    private static int rank(String origin) {
        if (origin.startsWith("file")) {
            return 1;
        }
        switch (origin) {
            case SPARK_CONF:
                return 2;
            case ENVIRONMENT:
                return 3;
            case SYSTEM_PROPERTY:
                return 4;
            default:
                return 5; // agent argument, --check's command line
        }
    }

    /** Whether both hold the same values from the same sources (in any order). */
    public boolean sameSettingsAs(SluiceConfig other) {
        return values.equals(other.values) && origins.equals(other.origins);
    }

    /** Whether any value in force came from Spark's configuration. */
    public boolean usesSparkConf() {
        return origins.containsValue(SPARK_CONF);
    }

    /**
     * Whether sluice.failOnError=true was asked for, read leniently (the configuration itself is invalid when this is
     * asked), with the usual precedence.
     */
    public static boolean failOnErrorRequested(String agentArgs, Properties systemProperties,
                                               Map<String, String> environment) {
        String key = ConfigKeys.FAIL_ON_ERROR.name;
        try {
            Map<String, String> args = parseAgentArgs(agentArgs);
            if (args.containsKey(key)) {
                return Boolean.parseBoolean(args.get(key).trim());
            }
        } catch (ConfigException | RuntimeException ignored) {
            if (agentArgs != null && agentArgs.replace(" ", "").contains(key + "=true")) {
                return true;
            }
        }
        String sys = systemProperties.getProperty(key);
        if (sys == null) {
            sys = systemProperties.getProperty(SPARK_PREFIX + key);
        }
        if (sys != null) {
            return Boolean.parseBoolean(sys.trim());
        }
        String env = environment.get(ConfigKeys.envName(key));
        if (env != null) {
            return Boolean.parseBoolean(env.trim());
        }
        try {
            Map<String, String> args = parseAgentArgs(agentArgs);
            String path = args.get(ConfigKeys.CONFIG.name);
            if (path == null) {
                path = systemProperties.getProperty(ConfigKeys.CONFIG.name);
            }
            if (path == null) {
                path = environment.get(ConfigKeys.envName(ConfigKeys.CONFIG.name));
            }
            if (path != null) {
                String v = readFile(path.trim()).get(key);
                return v != null && Boolean.parseBoolean(v.trim());
            }
        } catch (ConfigException | RuntimeException ignored) {
            // unreadable: not requested
        }
        return false;
    }

    static Map<String, String> parseAgentArgs(String agentArgs) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.trim().isEmpty()) {
            return out;
        }
        for (String pair : agentArgs.split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(pair.trim(), "", "key=value pairs separated by ',' (config=/path or sluice.*)");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            out.put(key.equals("config") ? ConfigKeys.CONFIG.name : key, value);
        }
        return out;
    }

    static Map<String, String> fromSystemProperties(Properties props) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("sluice.")) {
                out.put(name, props.getProperty(name));
            }
        }
        return out;
    }

    /**
     * SLUICE_* variables. Declared keys map back through their env name; the free-form ones are recognised by shape
     * (SLUICE_STREAM_3_STRATEGY, SLUICE_STRATEGY_K, SLUICE_STREAM_3_STRATEGY_K; parameter names become lower case).
     * Anything else is not a key: it goes to {@code ignored} (see {@link #ignoredEnvironment()}).
     */
    static Map<String, String> fromEnvironment(Map<String, String> env, java.util.List<String> ignored) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all()) {
            byEnvName.put(ConfigKeys.envName(k.name), k.name);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("SLUICE_")) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("SLUICE_STREAM_(\\d+)_STRATEGY(?:_(\\w+))?")
                        .matcher(name);
                java.util.regex.Matcher g = java.util.regex.Pattern.compile("SLUICE_STRATEGY_(\\w+)").matcher(name);
                if (m.matches()) {
                    key = "sluice.stream." + m.group(1) + ".strategy"
                            + (m.group(2) == null ? "" : "." + m.group(2).toLowerCase(java.util.Locale.ROOT));
                } else if (g.matches()) {
                    key = "sluice.strategy." + g.group(1).toLowerCase(java.util.Locale.ROOT);
                } else {
                    ignored.add(name);
                    continue;
                }
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    static Map<String, String> readFile(String path) throws ConfigException {
        Properties p = new Properties();
        File f = new File(path);
        try (InputStream in = new FileInputStream(f)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(ConfigKeys.CONFIG.name, path, ConfigKeys.CONFIG.allowed + " (" + e + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    private static String firstNonEmpty(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.trim().isEmpty()) {
                return c;
            }
        }
        return null;
    }
}
