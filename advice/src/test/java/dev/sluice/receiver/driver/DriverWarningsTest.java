package dev.sluice.receiver.driver;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wording of the driver's set-up warnings. */
class DriverWarningsTest {

    @Test
    void aContextWithoutReceiverStreamsIsToldWhatSluiceGoverns() {
        // A real InputDStream needs a running SparkContext (module flags this unit-test JVM lacks); the smoke tests'
        // direct-stream runs see the line itself.
        String line = DriverWarnings.noReceiverStreams(new org.apache.spark.streaming.dstream.InputDStream<?>[0]);
        assertTrue(line.startsWith("this StreamingContext has no receiver-based input stream, so Sluice governs none "
                + "of its streams; input streams found: none."), line);
    }

    @Test
    void theHintSaysWhetherTheExecutorsAreGivenAnAgent() {
        assertTrue(DriverWarnings.executorAgentHint(new SparkConf(false)).contains("name no -javaagent"));
        assertTrue(DriverWarnings.executorAgentHint(new SparkConf(false).set("spark.executor.extraJavaOptions",
                "-Xss4m -javaagent:/opt/sluice/sluice-agent.jar")).contains("do name a -javaagent"));
    }
}
