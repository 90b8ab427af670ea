package dev.sluice.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SluiceConfigTest {

    @TempDir
    Path dir;

    private static final Map<String, String> NO_ENV = Collections.emptyMap();

    private File file(String... lines) throws IOException {
        Path p = dir.resolve("sluice.properties");
        Files.write(p, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        return p.toFile();
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsApplyWhenNothingIsSet() throws Exception {
        SluiceConfig c = SluiceConfig.load(null, props(), NO_ENV);
        assertEquals("true", c.get(ConfigKeys.ENABLED));
        assertEquals("throttle", c.get(ConfigKeys.STRATEGY));
        assertEquals("adaptive", c.get(ConfigKeys.ESTIMATOR));
        assertEquals("100", c.get(ConfigKeys.RATE_MIN));
        assertEquals("", c.get(ConfigKeys.RATE_INITIAL));
        assertEquals("10s", c.get(ConfigKeys.METRICS_LOG_INTERVAL));
        assertEquals("default", c.originOf("sluice.strategy"));
    }

    @Test
    void precedenceIsArgsThenSystemPropertiesThenEnvironmentThenFile() throws Exception {
        File f = file("sluice.strategy=sample", "sluice.rate.min=1", "sluice.rate.max=2000", "sluice.seed=1");
        String args = "config=" + f.getAbsolutePath() + ",sluice.strategy=drop";
        Properties sys = props("sluice.strategy", "throttle", "sluice.rate.min", "2", "unrelated.key", "x");
        Map<String, String> env = env("SLUICE_STRATEGY", "sample", "SLUICE_RATE_MIN", "3", "SLUICE_RATE_MAX", "3000",
                "PATH", "/bin");
        SluiceConfig c = SluiceConfig.load(args, sys, env);
        assertEquals("drop", c.get(ConfigKeys.STRATEGY), "agent argument wins");
        assertEquals("2", c.get(ConfigKeys.RATE_MIN), "system property beats environment and file");
        assertEquals("3000", c.get(ConfigKeys.RATE_MAX), "environment beats file");
        assertEquals("1", c.get(ConfigKeys.SEED), "file beats default");
        assertEquals("agent argument", c.originOf("sluice.strategy"));
        assertTrue(c.originOf("sluice.seed").startsWith("file "));
    }

    @Test
    void configFileCanComeFromASystemProperty() throws Exception {
        File f = file("sluice.strategy=sample");
        SluiceConfig c = SluiceConfig.load(null, props("sluice.config", f.getAbsolutePath()), NO_ENV);
        assertEquals("sample", c.get(ConfigKeys.STRATEGY));
    }

    @Test
    void freeFormKeysAreAccepted() throws Exception {
        SluiceConfig c = SluiceConfig.load("sluice.stream.2.strategy=drop,sluice.strategy.k=10,"
                + "sluice.stream.2.strategy.k=5", props(), env("SLUICE_STREAM_3_STRATEGY", "sample",
                "SLUICE_STRATEGY_KEYFIELD", "size"));
        assertEquals("drop", c.values().get("sluice.stream.2.strategy"));
        assertEquals("10", c.values().get("sluice.strategy.k"));
        assertEquals("5", c.values().get("sluice.stream.2.strategy.k"));
        assertEquals("sample", c.values().get("sluice.stream.3.strategy"));
        assertEquals("size", c.values().get("sluice.strategy.keyfield"));
        assertEquals("drop", c.toRuntimeSettings().strategyOf(2));
        assertEquals("sample", c.toRuntimeSettings().strategyOf(3));
        assertEquals("throttle", c.toRuntimeSettings().strategyOf(0));
    }

    @Test
    void aClassNameIsAStrategy() throws Exception {
        SluiceConfig c = SluiceConfig.load("sluice.strategy=com.acme.TopK", props(), NO_ENV);
        assertEquals("com.acme.TopK", c.get(ConfigKeys.STRATEGY));
    }

    private static ConfigException fails(String args, Properties sys, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> SluiceConfig.load(args, sys, env));
    }

    private static void assertNames(ConfigException e, String key, String value, String allowedFragment) {
        String m = e.getMessage();
        assertTrue(m.startsWith("Sluice: invalid configuration: key '" + key + "' has value '" + value + "'; allowed: "),
                m);
        assertTrue(m.contains(allowedFragment), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void badNumberNamesKeyValueAndWhatIsAllowed() {
        assertNames(fails("sluice.rate.min=abc", props(), NO_ENV), "sluice.rate.min", "abc", "a number > 0");
        assertNames(fails(null, props("sluice.guard.heap.stress", "1.5"), NO_ENV), "sluice.guard.heap.stress", "1.5",
                "a number from 0 to 1");
        assertNames(fails(null, props(), env("SLUICE_PID_INTEGRAL", "-1")), "sluice.pid.integral", "-1",
                "a number >= 0");
        assertNames(fails("sluice.metrics.logInterval=soon", props(), NO_ENV), "sluice.metrics.logInterval", "soon",
                "a duration");
        assertNames(fails("sluice.enabled=yes", props(), NO_ENV), "sluice.enabled", "yes", "true or false");
        assertNames(fails("sluice.estimator=fast", props(), NO_ENV), "sluice.estimator", "fast", "adaptive | pid");
    }

    @Test
    void badStrategyNamesKeyValueAndWhatIsAllowed() {
        assertNames(fails("sluice.strategy=dropp", props(), NO_ENV), "sluice.strategy", "dropp",
                "throttle | drop | sample | a fully qualified class name");
        assertNames(fails("sluice.stream.0.strategy=not a class", props(), NO_ENV), "sluice.stream.0.strategy",
                "not a class", "throttle | drop | sample");
    }

    @Test
    void unknownKeyNamesKeyValueAndTheKnownKeys() {
        assertNames(fails("sluice.strateg=drop", props(), NO_ENV), "sluice.strateg", "drop", "sluice.strategy");
        assertNames(fails(null, props("sluice.foo", "1"), NO_ENV), "sluice.foo", "1", "a known key");
    }

    @Test
    void unknownEnvironmentVariableIsIgnoredAndNamedNotAnError() throws Exception {
        // The environment is shared with other tools (our own harness reads SLUICE_SPARK_HOMES).
        SluiceConfig c = SluiceConfig.load(null, props(), env("SLUICE_SPARK_HOMES", "/tmp/x", "SLUICE_RATE_MAX", "7000"));
        assertEquals(java.util.Arrays.asList("SLUICE_SPARK_HOMES"), c.ignoredEnvironment());
        assertEquals("7000", c.values().get("sluice.rate.max"));
        assertFalse(c.values().containsKey("SLUICE_SPARK_HOMES"));
    }

    @Test
    void unknownKeyInTheFileIsReported() throws Exception {
        File f = file("spark.master=local");
        assertNames(fails("config=" + f.getAbsolutePath(), props(), NO_ENV), "spark.master", "local", "a known key");
    }

    @Test
    void unreadableFileNamesThePath() {
        String missing = dir.resolve("missing.properties").toString();
        assertNames(fails("config=" + missing, props(), NO_ENV), "sluice.config", missing,
                "a readable properties file");
    }

    @Test
    void reliefAboveStressAndMinAboveMaxAreRefused() {
        assertNames(fails("sluice.guard.heap.relief=0.9", props(), NO_ENV), "sluice.guard.heap.relief", "0.9",
                "sluice.guard.heap.stress");
        assertNames(fails("sluice.rate.min=500,sluice.rate.max=100", props(), NO_ENV), "sluice.rate.min", "500",
                "sluice.rate.max");
        // The initial bound is published as it is: above the maximum it would break the maximum at start.
        assertNames(fails("sluice.rate.initial=300,sluice.rate.max=250", props(), NO_ENV), "sluice.rate.initial", "300",
                "a number <= sluice.rate.max (250)");
    }

    @Test
    void malformedAgentArgumentIsReported() {
        ConfigException e = fails("sluice.strategy", props(), NO_ENV);
        assertTrue(e.getMessage().contains("key 'sluice.strategy'"), e.getMessage());
    }

    @Test
    void failOnErrorIsFoundEvenInAnInvalidConfiguration() throws Exception {
        assertTrue(SluiceConfig.failOnErrorRequested("sluice.rate.min=x,sluice.failOnError=true", props(), NO_ENV));
        assertTrue(SluiceConfig.failOnErrorRequested(null, props("sluice.failOnError", "true"), NO_ENV));
        assertTrue(SluiceConfig.failOnErrorRequested(null, props(), env("SLUICE_FAILONERROR", "true")));
        File f = file("sluice.failOnError=true", "sluice.bogus=1");
        assertTrue(SluiceConfig.failOnErrorRequested("config=" + f.getAbsolutePath(), props(), NO_ENV));
        assertFalse(SluiceConfig.failOnErrorRequested("sluice.rate.min=x", props(), NO_ENV));
    }

    @Test
    void sparkConfSitsBetweenTheEnvironmentAndTheFile() throws Exception {
        File f = file("sluice.strategy=sample", "sluice.rate.max=2000", "sluice.seed=1");
        Properties sys = props("spark.sluice.strategy", "drop", "spark.sluice.rate.max", "3000", "spark.master", "local",
                "spark.sluice.rate.min", "5");
        SluiceConfig c = SluiceConfig.load("config=" + f.getAbsolutePath(), sys, env("SLUICE_RATE_MIN", "7"));
        assertEquals("drop", c.get(ConfigKeys.STRATEGY), "SparkConf beats the file");
        assertEquals("3000", c.get(ConfigKeys.RATE_MAX), "SparkConf beats the file");
        assertEquals("7", c.get(ConfigKeys.RATE_MIN), "the environment beats SparkConf");
        assertEquals("1", c.get(ConfigKeys.SEED));
        assertEquals(SluiceConfig.SPARK_CONF, c.originOf("sluice.strategy"));
        assertEquals("spark.sluice.strategy", c.nameAsWritten("sluice.strategy"));
        assertFalse(c.values().containsKey("master"), "other spark.* keys are Spark's business");
    }

    @Test
    void sparkConfThatArrivesLaterJoinsTheStartUpSources() throws Exception {
        SluiceConfig start = SluiceConfig.load("sluice.rate.max=900", props(), NO_ENV);
        assertFalse(start.usesSparkConf());
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.sluice.strategy", "drop");
        conf.put("spark.sluice.rate.max", "5");
        conf.put("spark.app.name", "x");
        SluiceConfig later = start.withSparkConf(conf);
        assertEquals("drop", later.get(ConfigKeys.STRATEGY));
        assertEquals("900", later.get(ConfigKeys.RATE_MAX), "the agent argument still wins");
        assertTrue(later.usesSparkConf());
        assertEquals("agent argument: sluice.rate.max=900; SparkConf: spark.sluice.strategy=drop",
                later.describeUserSettings());
        assertEquals("throttle", start.get(ConfigKeys.STRATEGY), "immutable");
    }

    @Test
    void anInvalidSparkConfValueIsNamedAsTheUserWroteIt() {
        SluiceConfig start = assertDoesNotThrow(() -> SluiceConfig.load(null, props(), NO_ENV));
        ConfigException e = assertThrows(ConfigException.class,
                () -> start.withSparkConf(Collections.singletonMap("spark.sluice.strategy", "dorp")));
        assertNames(e, "spark.sluice.strategy", "dorp", "throttle | drop | sample");
        assertNames(fails(null, props("spark.sluice.stratgy", "drop"), NO_ENV), "spark.sluice.stratgy", "drop",
                "a known key");
        assertNames(fails(null, props("spark.sluice.rate.min", "500", "spark.sluice.rate.max", "100"), NO_ENV),
                "spark.sluice.rate.min", "500", "spark.sluice.rate.max");
    }

    @Test
    void aBareDurationIsMillisecondsAndTheOldSecondsReadingIsCaught() throws Exception {
        SluiceConfig c = SluiceConfig.load("sluice.guard.interval=20,sluice.metrics.logInterval=0", props(), NO_ENV);
        assertEquals(20, c.toRuntimeSettings().getDurationMs("sluice.guard.interval", -1));
        assertEquals(0, c.toRuntimeSettings().getDurationMs("sluice.metrics.logInterval", -1));
        assertEquals(120_000, SluiceConfig.load("sluice.metrics.logInterval=2min", props(), NO_ENV)
                .toRuntimeSettings().getDurationMs("sluice.metrics.logInterval", -1));
        // "10" meant ten seconds before Sluice followed Spark; now it would be a summary every 10 ms: refused, with why.
        assertNames(fails("sluice.metrics.logInterval=10", props(), NO_ENV), "sluice.metrics.logInterval", "10",
                "'10' without a unit is 10 ms, as in Spark; for seconds write 10s");
        assertNames(fails("sluice.guard.interval=1.5", props(), NO_ENV), "sluice.guard.interval", "1.5",
                "a fraction");
        assertNames(fails("sluice.guard.interval=0", props(), NO_ENV), "sluice.guard.interval", "0", "at least 1ms");
    }

    @Test
    void failOnErrorCanComeFromASparkSystemProperty() {
        assertTrue(SluiceConfig.failOnErrorRequested(null, props("spark.sluice.failOnError", "true"), NO_ENV));
    }
}
