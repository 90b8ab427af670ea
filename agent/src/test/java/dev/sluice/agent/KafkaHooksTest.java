package dev.sluice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The Kafka area's start-up check against the released jars (read as class files, not loaded): it passes on the
 * connectors Maven Central serves for the smoke tests' Spark lines, and names what is missing otherwise.
 */
class KafkaHooksTest {

    private static Path jar(String name) {
        return Paths.get(System.getProperty("sluice.kafka.compat", "target/kafka-compat"), name);
    }

    private static TypePool pool(String connector, String streaming) throws IOException {
        return TypePool.Default.of(new ClassFileLocator.Compound(ClassFileLocator.ForJarFile.of(jar(connector).toFile()),
                ClassFileLocator.ForJarFile.of(jar(streaming).toFile()), ClassFileLocator.ForClassLoader.ofBootLoader()));
    }

    @ParameterizedTest
    @CsvSource({
            "spark-streaming-kafka-0-10_2.12-3.5.1.jar, spark-streaming_2.12-3.5.7.jar",
            "spark-streaming-kafka-0-10_2.13-4.2.0.jar, spark-streaming_2.13-4.1.0.jar"})
    void everyHookFieldAndCalledMemberExistsInTheReleasedJars(String connector, String streaming) throws IOException {
        assertNull(KafkaHooks.check(pool(connector, streaming)), connector + " on " + streaming);
    }

    @Test
    void withoutTheConnectorTheCheckNamesTheMissingClass() throws IOException {
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(
                ClassFileLocator.ForJarFile.of(jar("spark-streaming_2.12-3.5.7.jar").toFile()),
                ClassFileLocator.ForClassLoader.ofBootLoader()));
        assertEquals("class org.apache.spark.streaming.kafka010.DirectKafkaInputDStream not found",
                KafkaHooks.check(pool));
    }

    @Test
    void aConnectorWhoseStreamDiffersIsRefusedWithTheMemberNamed() throws IOException {
        // A DirectKafkaInputDStream without maxMessagesPerPartition (a fork, or a future connector) ahead of the real jar.
        byte[] different = new ByteBuddy().subclass(Object.class).name(KafkaHooks.DIRECT_STREAM).make().getBytes();
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(KafkaHooks.DIRECT_STREAM, different),
                ClassFileLocator.ForJarFile.of(jar("spark-streaming-kafka-0-10_2.12-3.5.1.jar").toFile()),
                ClassFileLocator.ForJarFile.of(jar("spark-streaming_2.12-3.5.7.jar").toFile()),
                ClassFileLocator.ForClassLoader.ofBootLoader()));
        assertEquals("method " + KafkaHooks.DIRECT_STREAM + ".maxMessagesPerPartition"
                + "(Lscala/collection/immutable/Map;)Lscala/Option; not found", KafkaHooks.check(pool));
    }

    @Test
    void theCompatJarsArePresent() {
        for (String name : new String[] {"spark-streaming-kafka-0-10_2.12-3.5.1.jar",
                "spark-streaming-kafka-0-10_2.13-4.2.0.jar"}) {
            File f = jar(name).toFile();
            assertEquals(true, f.isFile(), "missing " + f);
        }
    }
}
