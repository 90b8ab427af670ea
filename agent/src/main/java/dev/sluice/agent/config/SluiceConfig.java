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
 * (key upper-cased, '.' → '_'), the properties file, the declared defaults.
 */
public final class SluiceConfig {

    private final Map<String, String> values;
    private final Map<String, String> origins;

    /** SLUICE_* environment variables that name no key: ignored, and named once in a warning at start-up. */
    private final java.util.List<String> ignoredEnvironment;

    private SluiceConfig(Map<String, String> values, Map<String, String> origins, java.util.List<String> ignoredEnvironment) {
        this.values = values;
        this.origins = origins;
        this.ignoredEnvironment = ignoredEnvironment;
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

    public static SluiceConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment)
            throws ConfigException {
        Map<String, String> args = parseAgentArgs(agentArgs);
        Map<String, String> sys = fromSystemProperties(systemProperties);
        java.util.List<String> ignoredEnv = new java.util.ArrayList<>();
        Map<String, String> env = fromEnvironment(environment, ignoredEnv);

        // Where the file is: itself subject to precedence (args `config=` > -Dsluice.config > SLUICE_CONFIG).
        String filePath = firstNonEmpty(args.get(ConfigKeys.CONFIG.name), sys.get(ConfigKeys.CONFIG.name),
                env.get(ConfigKeys.CONFIG.name));
        Map<String, String> file = filePath == null ? new LinkedHashMap<String, String>() : readFile(filePath.trim());

        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKeys.all()) {
            if (!k.defaultValue.isEmpty()) {
                merged.put(k.name, k.defaultValue);
                origins.put(k.name, "default");
            }
        }
        putAll(merged, origins, file, "file " + filePath);
        putAll(merged, origins, env, "environment");
        putAll(merged, origins, sys, "system property");
        putAll(merged, origins, args, "agent argument");
        validate(merged);
        return new SluiceConfig(merged, origins, ignoredEnv);
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

    /** Where a key's value came from ("default", "file /x", "environment", ...), for the start-up line. */
    public String originOf(String key) {
        return origins.get(key);
    }

    public RuntimeSettings toRuntimeSettings() {
        return new RuntimeSettings(values);
    }

    /** The keys set by the user (not defaults), as "k=v" for the start-up log line. */
    public String describeUserSettings() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!"default".equals(origins.get(e.getKey()))) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(e.getKey()).append('=').append(e.getValue());
            }
        }
        return sb.length() == 0 ? "(defaults only)" : sb.toString();
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

    private static Map<String, String> readFile(String path) throws ConfigException {
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

    private static void putAll(Map<String, String> merged, Map<String, String> origins, Map<String, String> source,
                               String origin) {
        for (Map.Entry<String, String> e : source.entrySet()) {
            merged.put(e.getKey(), e.getValue());
            origins.put(e.getKey(), origin);
        }
    }

    private static void validate(Map<String, String> merged) throws ConfigException {
        for (Map.Entry<String, String> e : merged.entrySet()) {
            String problem = ConfigKeys.check(e.getKey(), e.getValue());
            if (problem != null) {
                throw new ConfigException(e.getKey(), e.getValue(), problem);
            }
        }
        checkOrder(merged, ConfigKeys.GUARD_HEAP_RELIEF, ConfigKeys.GUARD_HEAP_STRESS);
        checkOrder(merged, ConfigKeys.GUARD_STORAGE_RELIEF, ConfigKeys.GUARD_STORAGE_STRESS);
        checkOrder(merged, ConfigKeys.RATE_MIN, ConfigKeys.RATE_MAX);
    }

    /** {@code low} must not exceed {@code high} (relief below stress, min below max). */
    private static void checkOrder(Map<String, String> merged, ConfigKey low, ConfigKey high) throws ConfigException {
        String lo = merged.get(low.name);
        String hi = merged.get(high.name);
        if (lo == null || hi == null || lo.trim().isEmpty() || hi.trim().isEmpty()) {
            return;
        }
        if (Double.parseDouble(lo.trim()) > Double.parseDouble(hi.trim())) {
            throw new ConfigException(low.name, lo, "a number <= " + high.name + " (" + hi.trim() + ")");
        }
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
