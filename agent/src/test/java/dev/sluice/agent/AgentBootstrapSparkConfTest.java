package dev.sluice.agent;

import dev.sluice.agent.config.ConfigKeys;
import dev.sluice.agent.config.SluiceConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the first Spark hook does with Spark's configuration, and the start line. */
class AgentBootstrapSparkConfTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true);

    private String printed() {
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    private static SluiceConfig start(String args) throws Exception {
        return SluiceConfig.load(args, new Properties(), Collections.<String, String>emptyMap());
    }

    @Test
    void sparkConfJoinsAndOneLineSaysWhatIsNowInForce() throws Exception {
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.sluice.strategy", "drop");
        SluiceConfig merged = AgentBootstrap.withSparkConf(start("sluice.rate.max=900"), conf, JvmRole.EXECUTOR, out);
        assertEquals("drop", merged.get(ConfigKeys.STRATEGY));
        assertEquals("Sluice " + AgentBootstrap.VERSION + " settings in this executor JVM with SparkConf: agent argument: "
                + "sluice.rate.max=900; SparkConf: spark.sluice.strategy=drop", printed().trim());
    }

    @Test
    void nothingNewFromSparkConfPrintsNothing() throws Exception {
        SluiceConfig start = start("sluice.strategy=sample");
        SluiceConfig merged = AgentBootstrap.withSparkConf(start, Collections.singletonMap("spark.app.name", "x"),
                JvmRole.DRIVER, out);
        assertEquals("sample", merged.get(ConfigKeys.STRATEGY));
        assertEquals("", printed());
        assertSame(start, AgentBootstrap.withSparkConf(start, null, JvmRole.DRIVER, out), "no SparkEnv: unchanged");
    }

    @Test
    void anInvalidSparkConfValueIsReportedAndTheStartUpSettingsStay() throws Exception {
        SluiceConfig start = start("sluice.strategy=sample");
        SluiceConfig kept = AgentBootstrap.withSparkConf(start, Collections.singletonMap("spark.sluice.rate.min", "x"),
                JvmRole.EXECUTOR, out);
        assertSame(start, kept);
        assertTrue(printed().startsWith("Sluice: invalid configuration: key 'spark.sluice.rate.min' has value 'x'; "
                + "allowed: a number > 0; SparkConf's spark.sluice.* settings are ignored in this executor JVM, which "
                + "keeps: agent argument: sluice.strategy=sample"), printed());
    }

    @Test
    void theStartLineNamesVersionRoleAndTheOriginOfEachSetting() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("spark.sluice.rate.max", "700");
        sys.setProperty("sluice.seed", "3");
        SluiceConfig c = SluiceConfig.load("sluice.strategy=drop", sys, Collections.singletonMap("SLUICE_RATE_MIN", "5"));
        assertEquals("Sluice " + AgentBootstrap.VERSION + " active in this driver JVM (premain, Spark areas checked "
                        + "at start-up: [receiver], areas checked where their classes load: [kafka-direct, "
                        + "sql-kafka]); settings: agent argument: sluice.strategy=drop; -D: sluice.seed=3; environment: "
                        + "sluice.rate.min=5; SparkConf: spark.sluice.rate.max=700; SparkConf's spark.sluice.* read when "
                        + "Spark starts",
                AgentBootstrap.startLine(c, JvmRole.DRIVER, false,
                        java.util.Collections.singletonList(dev.sluice.agent.references.Areas.RECEIVER),
                        java.util.Collections.<dev.sluice.agent.references.ReferenceArea>emptyList(),
                        java.util.Arrays.asList(dev.sluice.agent.references.Areas.KAFKA_DIRECT,
                                dev.sluice.agent.references.Areas.SQL_KAFKA)));
    }
}
