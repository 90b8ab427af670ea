package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceCheck;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.TypeManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka direct area's check as {@link KafkaInstall} runs it (the generated {@code kafka-direct.txt} against the
 * class loader that defines the connector), on class loaders over the released jars, read as class files and never
 * loaded: each Scala line's Spark, Spark core and Scala library ({@code target/spark-lines}, as
 * {@link SparkLinesDescriptorTest} uses them) plus the connector Maven Central serves for it
 * ({@code target/kafka-compat}).
 */
class KafkaDirectAreaTest {

    private static final String CONNECTOR_212 = "spark-streaming-kafka-0-10_2.12-3.5.1.jar";
    private static final String CONNECTOR_213 = "spark-streaming-kafka-0-10_2.13-4.2.0.jar";

    private final ClassLoader agentLoader = getClass().getClassLoader();
    private final List<String> reported = new ArrayList<>();
    private final KafkaInstall.ConnectorCheck check = new KafkaInstall.ConnectorCheck(agentLoader, reported::add);

    private static File connector(String name) {
        File f = Paths.get(System.getProperty("sluice.kafka.compat", "target/kafka-compat"), name).toFile();
        assertTrue(f.isFile(), "missing " + f.getAbsolutePath());
        return f;
    }

    /** A loader over {@code first} (class files shadowing the jars' own), then the jars; no parent but the JDK. */
    private static URLClassLoader loader(Path first, String sparkLine, File... more) throws IOException {
        File[] spark = new File("target/spark-lines", sparkLine).listFiles((d, name) -> name.endsWith(".jar"));
        assertNotNull(spark, "no jars for Spark " + sparkLine);
        assertEquals(3, spark.length, Arrays.toString(spark));
        List<URL> urls = new ArrayList<>();
        if (first != null) {
            urls.add(first.toUri().toURL());
        }
        for (File f : more) {
            urls.add(f.toURI().toURL());
        }
        for (File f : spark) {
            urls.add(f.toURI().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), null);
    }

    private static void write(Path dir, String className, byte[] classFile) throws IOException {
        Path f = dir.resolve(className.replace('.', '/') + ".class");
        Files.createDirectories(f.getParent());
        Files.write(f, classFile);
    }

    private boolean matches(ClassLoader loader) {
        return check.matches(null, loader, null, null, null);
    }

    @ParameterizedTest
    @CsvSource({"3.5.9-2.12, " + CONNECTOR_212, "4.1.0-2.13, " + CONNECTOR_213})
    void everyGeneratedReferenceResolvesOnTheReleasedConnectorOfEachScalaLine(String sparkLine, String connector)
            throws IOException {
        try (URLClassLoader loader = loader(null, sparkLine, connector(connector))) {
            List<String> references = ReferenceCheck.load(Areas.KAFKA_DIRECT, agentLoader);
            ReferenceCheck.Outcome outcome = ReferenceCheck.check(
                    TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)), references);
            assertTrue(outcome.visible, connector + " has no " + KafkaHooks.DIRECT_STREAM);
            assertNull(outcome.problem, connector + " on " + sparkLine);
            assertEquals(references.size(), outcome.checked);
            assertTrue(matches(loader), "the connector's stream class is advised");
            assertEquals(new ArrayList<String>(), reported);
        }
    }

    @Test
    void withoutTheConnectorTheAreaIsNotThere() throws IOException {
        // Nothing triggers the area then (its advised class never loads), and the Spark areas do not depend on it.
        try (URLClassLoader loader = loader(null, "3.5.9-2.12")) {
            ReferenceCheck.Outcome outcome = ReferenceCheck.check(TypePool.Default.of(
                    ClassFileLocator.ForClassLoader.of(loader)), ReferenceCheck.load(Areas.KAFKA_DIRECT, agentLoader));
            assertFalse(outcome.visible);
        }
    }

    /** The loader's stream class is left unadvised, for good, with exactly one line naming {@code problem}. */
    private void assertRefused(ClassLoader loader, String connectorVersion, String problem) {
        assertFalse(matches(loader), "the stream class is left unadvised");
        assertFalse(matches(loader), "and stays so in that loader");
        assertEquals(Arrays.asList("Sluice: Kafka direct streams left unmanaged: spark-streaming-kafka-0-10 "
                + connectorVersion + " differs from what Sluice knows: " + problem + "; the rest of Sluice is "
                + "unaffected"), reported);
    }

    /** A DirectKafkaInputDStream with the advice's two fields and one planning method taking the latest offsets. */
    private static byte[] streamClass(Class<?> offsetsType, String planningMethod) {
        return new ByteBuddy().subclass(Object.class).name(KafkaHooks.DIRECT_STREAM)
                .defineField("currentOffsets", offsetsType, Visibility.PRIVATE)
                .defineField("ppc", org.apache.spark.streaming.kafka010.PerPartitionConfig.class, Visibility.PRIVATE)
                .defineMethod(planningMethod, scala.Option.class, Visibility.PUBLIC)
                .withParameters(scala.collection.immutable.Map.class).intercept(FixedValue.nullValue())
                .make().getBytes();
    }

    @Test
    void aConnectorMissingAMemberTheRuntimeCallsByReflectionIsRefusedWithOneLineNamingIt(@TempDir Path dir)
            throws IOException {
        // A PerPartitionConfig with maxRatePerPartition but no minRatePerPartition (a fork, or a future connector),
        // ahead of the real jar: the stream class itself is intact.
        write(dir, "org.apache.spark.streaming.kafka010.PerPartitionConfig", new ByteBuddy().subclass(Object.class)
                .name("org.apache.spark.streaming.kafka010.PerPartitionConfig")
                .modifiers(Visibility.PUBLIC, TypeManifestation.ABSTRACT)
                .defineMethod("maxRatePerPartition", long.class, Visibility.PUBLIC)
                .withParameters(org.apache.kafka.common.TopicPartition.class).withoutCode()
                .make().getBytes());
        try (URLClassLoader loader = loader(dir, "3.5.9-2.12", connector(CONNECTOR_212))) {
            assertRefused(loader, "3.5.1", "method org.apache.spark.streaming.kafka010.PerPartitionConfig"
                    + ".minRatePerPartition(Lorg/apache/kafka/common/TopicPartition;)J not found (used by "
                    + "dev.sluice.kafka.driver.PartitionRates)");
        }
    }

    @Test
    void aStreamWhoseOffsetsFieldChangedTypeIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        // The advice binds currentOffsets as a scala.collection.immutable.Map: a java.util.Map there cannot be bound.
        write(dir, KafkaHooks.DIRECT_STREAM, streamClass(java.util.Map.class, "maxMessagesPerPartition"));
        try (URLClassLoader loader = loader(dir, "3.5.9-2.12", connector(CONNECTOR_212))) {
            assertRefused(loader, "(unknown version)", "field " + KafkaHooks.DIRECT_STREAM + ".currentOffsets is "
                    + "Ljava/util/Map;, not assignable to Lscala/collection/immutable/Map; (used by "
                    + "dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice)");
        }
    }

    @Test
    void aStreamClassWithoutTheAdvisedMethodIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        // A DirectKafkaInputDStream that keeps the advice's fields but plans without maxMessagesPerPartition.
        write(dir, KafkaHooks.DIRECT_STREAM, streamClass(scala.collection.immutable.Map.class, "planBatch"));
        try (URLClassLoader loader = loader(dir, "4.1.0-2.13", connector(CONNECTOR_213))) {
            assertRefused(loader, "(unknown version)", "method " + KafkaHooks.DIRECT_STREAM
                    + ".maxMessagesPerPartition(Lscala/collection/immutable/Map;)Lscala/Option; not found (used by "
                    + "dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice)");
        }
    }
}
