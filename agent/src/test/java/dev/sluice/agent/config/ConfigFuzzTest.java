package dev.sluice.agent.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based: hundreds of generated configurations, malformed and hostile ones among them, spread over every source
 * (agent arguments, -D, environment, file). Each must either load, or fail with exactly one {@link ConfigException}
 * naming the key that is wrong; nothing else may escape. The expected verdict comes from how each value was generated
 * (a category known to be valid or invalid for its key's documented type), not from the loader's own rules.
 */
class ConfigFuzzTest {

    private static final int CASES = 300;
    private static final long SEED = 0x511CEL;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> generatedConfigurations() {
        return IntStream.range(0, CASES).mapToObj(i -> {
            FuzzCase c = FuzzCase.generate(new Random(SEED + i));
            return DynamicTest.dynamicTest("case " + i + ": " + c, () -> check(c));
        });
    }

    /** The generator must exercise both verdicts and every source, or the property above proves little. */
    @org.junit.jupiter.api.Test
    void generatedCasesCoverBothVerdictsAndEverySource() {
        int certainValid = 0;
        int certainInvalid = 0;
        java.util.EnumSet<Source> sources = java.util.EnumSet.noneOf(Source.class);
        for (int i = 0; i < CASES; i++) {
            FuzzCase c = FuzzCase.generate(new Random(SEED + i));
            c.settings.forEach(s -> sources.add(s.source));
            if (c.certain()) {
                if (c.expectedRejectedKeys().isEmpty()) {
                    certainValid++;
                } else {
                    certainInvalid++;
                }
            }
        }
        assertTrue(certainValid >= 60, "certain valid cases: " + certainValid);
        assertTrue(certainInvalid >= 60, "certain invalid cases: " + certainInvalid);
        assertEquals(java.util.EnumSet.allOf(Source.class), sources);
    }

    private void check(FuzzCase c) throws IOException {
        String args = c.agentArgs(dir);
        List<String> wrongKeys = c.expectedRejectedKeys();
        SluiceConfig loaded;
        try {
            loaded = SluiceConfig.load(args, c.systemProperties(), c.environment());
        } catch (ConfigException e) {
            String message = e.getMessage();
            assertNotNull(message);
            assertTrue(message.startsWith("Sluice: invalid configuration: key '"), message);
            assertEquals(1, message.split("\n").length, "one line: " + message);
            assertTrue(message.contains("allowed:"), message);
            if (!c.certain()) {
                return;
            }
            if (wrongKeys.isEmpty()) {
                fail("rejected a configuration made of valid values: " + message);
            }
            assertTrue(wrongKeys.stream().anyMatch(k -> message.contains("key '" + k + "'")),
                    "expected one of " + wrongKeys + " named: " + message);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("escaped the loader as " + e + " for " + c, e);
        }
        if (c.certain()) {
            assertTrue(wrongKeys.isEmpty(), "accepted, but " + wrongKeys + " hold invalid values: " + c);
            for (Map.Entry<String, String> winner : c.winners().entrySet()) {
                ConfigKey declared = ConfigKeys.byName(winner.getKey());
                if (declared != null) {
                    assertEquals(winner.getValue().trim(), loaded.get(declared), "precedence for " + winner.getKey());
                }
            }
        }
    }

    /** Where a setting comes from, lowest precedence first. */
    enum Source { FILE, ENVIRONMENT, SYSTEM_PROPERTY, AGENT_ARGUMENT }

    /** One generated setting and whether its value is valid for the key (null: not known in advance). */
    static final class Setting {
        final Source source;
        final String key;
        final String value;
        final Boolean valid;

        Setting(Source source, String key, String value, Boolean valid) {
            this.source = source;
            this.key = key;
            this.value = value;
            this.valid = valid;
        }

        @Override
        public String toString() {
            return source.name().toLowerCase(Locale.ROOT) + ":" + key + "=" + printable(value)
                    + (valid == null ? "?" : valid ? "" : "(bad)");
        }
    }

    static final class FuzzCase {
        final List<Setting> settings = new ArrayList<>();
        /** A raw agent-argument string of unknown shape appended as is, or null. */
        String rawArgs;

        static FuzzCase generate(Random r) {
            FuzzCase c = new FuzzCase();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                c.settings.add(randomSetting(r));
            }
            if (r.nextInt(8) == 0) {
                c.rawArgs = pick(r, "=", ",,", "=,=", "sluice.strategy", "config", ",sluice.enabled=", "===drop",
                        "sluice.rate.min==5", " , ");
            }
            return c;
        }

        private static Setting randomSetting(Random r) {
            Source source = Source.values()[r.nextInt(Source.values().length)];
            int kind = r.nextInt(10);
            if (kind == 0) {
                // A typo of a real key: unknown keys are rejected, except in the environment (shared with other tools).
                String typo = pick(r, "sluice.strategi", "sluice.rate.minimum", "sluice.guard.heapstress", "sluice.enabled.now",
                        "sluice.metric.jmx", "sluice.");
                return new Setting(source, typo, "1", source == Source.ENVIRONMENT);
            }
            if (kind == 1) {
                return new Setting(source, "sluice.strategy." + pick(r, "k", "window", "x.y"), hostile(r), true);
            }
            if (kind == 2) {
                String id = String.valueOf(r.nextInt(64));
                boolean good = r.nextBoolean();
                String value = good ? pick(r, "throttle", "drop", "sample", "com.acme.Top$K")
                        : pick(r, "Drop", "drop # comment", "com..acme", "1com.x", "", "tHrottle");
                Boolean valid = good ? Boolean.TRUE : value.isEmpty() ? null : Boolean.FALSE;
                return new Setting(source, "sluice.stream." + id + ".strategy", value, valid);
            }
            List<ConfigKey> keys = new ArrayList<>();
            for (ConfigKey k : ConfigKeys.all()) {
                if (k.type != ConfigKey.Type.PATH) {
                    keys.add(k);
                }
            }
            ConfigKey key = keys.get(r.nextInt(keys.size()));
            boolean good = r.nextInt(3) != 0;
            String value = good ? validValue(key, r) : invalidValue(key, r);
            return new Setting(source, key.name, value, value == null ? null : good);
        }

        static String validValue(ConfigKey k, Random r) {
            switch (k.type) {
                case BOOLEAN:
                    return pick(r, "true", "false", "TRUE", " false ");
                case NUMBER:
                    return pad(r, pick(r, String.valueOf(Math.max(k.min, 0) + 1 + r.nextInt(100000)), "2.5e3",
                            String.valueOf(Math.max(k.min, 0) + 0.75)));
                case INTEGER:
                    return pad(r, String.valueOf((long) Math.max(k.min, -1000) + r.nextInt(100000)));
                case FRACTION:
                    // A share (min above 0) refuses 0.
                    return pad(r, pick(r, k.min > 0 ? "0.01" : "0", "1", "0.5",
                            String.valueOf((r.nextInt(100) + (k.min > 0 ? 1 : 0)) / 100.0)));
                case DURATION: {
                    // Durations have a per-key minimum (ms); 0 is allowed where it is the minimum or turns the key off.
                    List<String> ok = new ArrayList<>(java.util.Arrays.asList("10s", "2min", "90s"));
                    if (k.min <= 500) {
                        ok.add("500ms");
                    }
                    if (k.min <= 0 || (k.choices != null && java.util.Arrays.asList(k.choices).contains("0"))) {
                        ok.add("0");
                    }
                    return ok.get(r.nextInt(ok.size()));
                }
                case CHOICE:
                    return pad(r, k.choices[r.nextInt(k.choices.length)]);
                case STRATEGY:
                    return pick(r, "throttle", "drop", "sample", "com.acme.MyStrategy");
                default:
                    throw new IllegalArgumentException(k.name);
            }
        }

        static String invalidValue(ConfigKey k, Random r) {
            String universal = pick(r, "abc", "5 # comment", "\u0000", "1,5", "0x1G", "\u202e42", "${x}");
            switch (k.type) {
                case BOOLEAN:
                    return pick(r, universal, "yes", "1", "tru e", "on");
                case NUMBER:
                    return pick(r, universal, "NaN", "Infinity", "1e999", "-5", "--1");
                case INTEGER:
                    return pick(r, universal, "1.5", "99999999999999999999", k.min > -1e18 ? String.valueOf((long) k.min - 1)
                            : "1.5");
                case FRACTION:
                    return pick(r, universal, "1.01", "-0.1", "NaN", "2");
                case DURATION:
                    return pick(r, universal, "10 parsecs", "-1s", "s", "1.5.2s", "ms10");
                case CHOICE:
                    return pick(r, universal, k.choices[0].toUpperCase(Locale.ROOT) + "x", "");
                case STRATEGY:
                    return pick(r, "drop # comment", "Drop", "com..acme", "1com.x", "a b.c");
                default:
                    throw new IllegalArgumentException(k.name);
            }
        }

        /** Whether every setting's verdict was known when it was generated. */
        boolean certain() {
            if (rawArgs != null) {
                return false;
            }
            for (Setting s : settings) {
                if (s.valid == null || (s.source == Source.AGENT_ARGUMENT && !argSafe(s.value))) {
                    return false;
                }
                if (s.value.trim().isEmpty()) {
                    return false; // an empty value may mean "unset" for keys with no default
                }
            }
            return true;
        }

        /** The winning value per key after precedence. */
        Map<String, String> winners() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Source source : Source.values()) {
                for (Setting s : settings) {
                    if (s.source == source && (s.source != Source.ENVIRONMENT || ConfigKeys.byName(s.key) != null
                            || s.key.startsWith("sluice.stream.") || s.key.startsWith("sluice.strategy."))) {
                        out.put(s.key, s.value);
                    }
                }
            }
            return out;
        }

        /** The keys an error may name: every winning invalid setting, else a violated order between keys. */
        List<String> expectedRejectedKeys() {
            Map<String, String> winners = winners();
            List<String> invalid = new ArrayList<>();
            for (String key : winners.keySet()) {
                Setting s = winningSetting(key);
                if (s != null && Boolean.FALSE.equals(s.valid)) {
                    invalid.add(key);
                }
            }
            if (!invalid.isEmpty()) {
                return invalid;
            }
            if (violates(winners, ConfigKeys.RATE_MIN, ConfigKeys.RATE_MAX)) {
                invalid.add(ConfigKeys.RATE_MIN.name);
            } else if (violates(winners, ConfigKeys.GUARD_HEAP_RELIEF, ConfigKeys.GUARD_HEAP_STRESS)) {
                invalid.add(ConfigKeys.GUARD_HEAP_RELIEF.name);
            } else if (violates(winners, ConfigKeys.GUARD_STORAGE_RELIEF, ConfigKeys.GUARD_STORAGE_STRESS)) {
                invalid.add(ConfigKeys.GUARD_STORAGE_RELIEF.name);
            }
            return invalid;
        }

        private Setting winningSetting(String key) {
            Setting win = null;
            for (Source source : Source.values()) {
                for (Setting s : settings) {
                    if (s.source == source && s.key.equals(key)) {
                        win = s;
                    }
                }
            }
            return win;
        }

        private static boolean violates(Map<String, String> winners, ConfigKey low, ConfigKey high) {
            double lo = Double.parseDouble(winners.getOrDefault(low.name, low.defaultValue.isEmpty() ? "-Infinity"
                    : low.defaultValue).trim());
            double hi = Double.parseDouble(winners.getOrDefault(high.name, high.defaultValue.isEmpty() ? "Infinity"
                    : high.defaultValue).trim());
            return lo > hi;
        }

        String agentArgs(Path dir) throws IOException {
            List<String> parts = new ArrayList<>();
            Properties file = new Properties();
            for (Setting s : settings) {
                if (s.source == Source.AGENT_ARGUMENT) {
                    parts.add(s.key + "=" + s.value);
                } else if (s.source == Source.FILE) {
                    file.setProperty(s.key, s.value);
                }
            }
            if (!file.isEmpty()) {
                Path p = Files.createTempFile(dir, "fuzz", ".properties");
                try (OutputStream out = Files.newOutputStream(p)) {
                    file.store(out, null);
                }
                parts.add(0, "config=" + p);
            }
            if (rawArgs != null) {
                parts.add(rawArgs);
            }
            return parts.isEmpty() ? null : String.join(",", parts);
        }

        Properties systemProperties() {
            Properties p = new Properties();
            for (Setting s : settings) {
                if (s.source == Source.SYSTEM_PROPERTY) {
                    p.setProperty(s.key, s.value);
                }
            }
            return p;
        }

        Map<String, String> environment() {
            Map<String, String> env = new HashMap<>();
            env.put("PATH", "/usr/bin");
            env.put("SLUICE_HOME_OF_SOMETHING_ELSE", "x");
            for (Setting s : settings) {
                if (s.source == Source.ENVIRONMENT) {
                    env.put(ConfigKeys.envName(s.key), s.value);
                }
            }
            return env;
        }

        @Override
        public String toString() {
            return settings + (rawArgs == null ? "" : " raw args '" + rawArgs + "'");
        }
    }

    /** Values the agent-argument syntax (key=value pairs separated by ',') can carry unchanged. */
    static boolean argSafe(String value) {
        return value.indexOf(',') < 0 && value.indexOf('=') < 0;
    }

    static String hostile(Random r) {
        return pick(r, "", " ", "\t", new String(new char[5000]).replace((char) 0, (char) 120), "\u0000\u0001", "é中文", "a=b", "${env:HOME}", "\\", "1e999");
    }

    private static String pad(Random r, String v) {
        return r.nextInt(4) == 0 ? " " + v + " " : v;
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static String printable(String v) {
        StringBuilder sb = new StringBuilder();
        for (char ch : (v.length() > 40 ? v.substring(0, 40) + "…" : v).toCharArray()) {
            sb.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return "'" + sb + "'";
    }
}
