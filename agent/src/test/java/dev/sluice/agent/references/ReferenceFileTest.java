package dev.sluice.agent.references;

import dev.sluice.agent.Hooks;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.pool.TypePool;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.kafka010.DirectKafkaInputDStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated reference files: what the generator finds, that the build's file is current, that Spark has it all. */
class ReferenceFileTest {

    private final ClassLoader testLoader = getClass().getClassLoader();

    /** The main (not test) classes of the class path, as the build's generator sees them; for resources only. */
    private static ClassLoader mainClasses() throws Exception {
        List<java.net.URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("test-classes")) {
                urls.add(new java.io.File(entry).toURI().toURL());
            }
        }
        return new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), null);
    }

    static List<ReferenceArea> areas() {
        return Areas.ALL;
    }

    /**
     * The areas whose host classes are on this module's test class path. Spark SQL and its Kafka connector are not:
     * {@code SqlHooksTest} resolves the sql-kafka and sql-files files against the released 3.5.7/2.12 and 4.1.0/2.13
     * jars instead.
     */
    static List<ReferenceArea> areasOnTheTestClassPath() {
        List<ReferenceArea> on = new ArrayList<>(Areas.ALL);
        on.remove(Areas.SQL_KAFKA);
        on.remove(Areas.SQL_KAFKA_V1);
        on.remove(Areas.SQL_FILES);
        on.remove(Areas.SQL_FILES_41);
        return on;
    }

    @ParameterizedTest
    @MethodSource("areas")
    void theFileInTheBuildIsWhatTheCompiledClassesReference(ReferenceArea area) throws Exception {
        List<String> built = new ArrayList<>();
        built.add(GenerateReferences.HEADER);
        built.addAll(ReferenceCheck.load(area, testLoader));
        assertEquals(String.join("\n", GenerateReferences.generate(area, mainClasses())),
                String.join("\n", built),
                "target/classes/" + area.resource() + " is stale: run the build's process-classes phase");
    }

    @Test
    void everyClassOfTheKafkaAreaIsScannedAndItsReferencesListed() throws Exception {
        List<String> lines = GenerateReferences.generate(Areas.KAFKA_DIRECT, mainClasses());
        // One of each kind, each from a different class of the area; none is named anywhere by hand but the last three.
        for (String expected : Arrays.asList(
                "declared-method org.apache.spark.streaming.kafka010.DirectKafkaInputDStream maxMessagesPerPartition "
                        + "(Lscala/collection/immutable/Map;)Lscala/Option;  # "
                        + "dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice",
                "declared-field org.apache.spark.streaming.kafka010.DirectKafkaInputDStream ppc  # "
                        + "dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice",
                "declared-field org.apache.spark.streaming.kafka010.DirectKafkaInputDStream currentOffsets "
                        + "Lscala/collection/immutable/Map;  # dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice",
                "method org.apache.spark.streaming.DStreamGraph getInputStreams "
                        + "()[Lorg/apache/spark/streaming/dstream/InputDStream;  # "
                        + "dev.sluice.kafka.driver.DirectKafkaStreams",
                "method org.apache.spark.streaming.Duration milliseconds ()J  # "
                        + "dev.sluice.kafka.driver.KafkaDirectPlanning",
                "method scala.Option isDefined ()Z  # dev.sluice.kafka.driver.ScalaOffsets",
                "method org.apache.spark.streaming.kafka010.PerPartitionConfig minRatePerPartition "
                        + "(Lorg/apache/kafka/common/TopicPartition;)J  # dev.sluice.kafka.driver.PartitionRates",
                "method scala.collection.immutable.Map updated (Ljava/lang/Object;Ljava/lang/Object;)  # "
                        + "dev.sluice.kafka.driver.ScalaOffsets",
                "declared-field org.apache.spark.streaming.kafka010.DirectKafkaInputDStream ppc "
                        + "Lorg/apache/spark/streaming/kafka010/PerPartitionConfig;  # "
                        + "dev.sluice.kafka.driver.PartitionRates")) {
            assertTrue(lines.contains(expected), expected + " not in\n" + String.join("\n", lines));
        }
        long advised = lines.stream().filter(l -> l.startsWith("declared-method ")).count();
        assertEquals(dev.sluice.agent.KafkaHooks.ALL.size(), advised);
    }

    @Test
    void everyReferenceOfEachKafkaAreaClassScannedAloneIsInTheBuiltFile() throws Exception {
        List<String> built = new ArrayList<>();
        for (String line : ReferenceCheck.load(Areas.KAFKA_DIRECT, testLoader)) {
            built.add(Reference.parse(line).line());
        }
        SortedMap<String, byte[]> classes = GenerateReferences.classesOf(Areas.KAFKA_DIRECT, mainClasses());
        assertTrue(classes.containsKey("dev.sluice.kafka.driver.KafkaDirectPlanning"), classes.keySet().toString());
        for (java.util.Map.Entry<String, byte[]> c : classes.entrySet()) {
            ReferenceScanner alone = new ReferenceScanner(Areas.KAFKA_DIRECT.hostPackages);
            alone.scan(c.getValue(), c.getKey().endsWith("Advice") ? dev.sluice.agent.KafkaHooks.DIRECT_STREAM : null);
            for (String reference : alone.references().keySet()) {
                assertTrue(built.contains(reference), c.getKey() + " makes " + reference + ", missing from "
                        + Areas.KAFKA_DIRECT.resource());
            }
        }
    }

    @Test
    void theScannerFindsANewCallIntoTheConnectorOrTheKafkaClient() throws Exception {
        // Kafka area code that builds a TopicPartition and reads a DirectKafkaInputDStream's id: both must be caught.
        byte[] newCode = new ByteBuddy().subclass(Object.class).name("dev.sluice.kafka.driver.NewCode")
                .defineMethod("poke", Object.class, Visibility.PUBLIC).withParameters(DirectKafkaInputDStream.class)
                .intercept(MethodCall.construct(TopicPartition.class.getConstructor(String.class, int.class))
                        .with("t", 0))
                .make().getBytes();
        ReferenceScanner scanner = new ReferenceScanner(Areas.KAFKA_DIRECT.hostPackages);
        scanner.scan(newCode);
        SortedMap<String, SortedSet<String>> found = scanner.references();
        String construct = "method org.apache.kafka.common.TopicPartition <init> (Ljava/lang/String;I)V";
        assertEquals("[dev.sluice.kafka.driver.NewCode]", String.valueOf(found.get(construct)), found.toString());
        assertTrue(found.containsKey("type org.apache.spark.streaming.kafka010.DirectKafkaInputDStream"),
                found.toString());
    }

    @Test
    void everyReferenceTheCodeMakesIsListedWithItsUser() throws Exception {
        List<String> lines = GenerateReferences.generate(Areas.RECEIVER, mainClasses());
        // A sample of what the code references, by kind: each must be found without being named anywhere by hand.
        for (String expected : Arrays.asList(
                "declared-method org.apache.spark.streaming.receiver.Receiver store (Ljava/lang/Object;)V  # "
                        + "dev.sluice.receiver.advice.StoreSingleAdvice",
                "declared-field org.apache.spark.streaming.receiver.ReceiverSupervisorImpl "
                        + "defaultBlockGeneratorListener  # dev.sluice.receiver.advice.CreateBlockGeneratorAdvice",
                "method org.apache.spark.streaming.receiver.ReceiverSupervisor pushSingle (Ljava/lang/Object;)V  # "
                        + "dev.sluice.receiver.executor.BulkCoalescing",
                "method org.apache.spark.streaming.scheduler.ReceiverTracker sendRateUpdate (IJ)V  # "
                        + "dev.sluice.receiver.driver.ReceiverTrackerChannel",
                "method org.apache.spark.memory.MemoryManager onHeapStorageMemoryUsed ()J  # "
                        + "dev.sluice.receiver.guard.JvmMemory",
                "subclass dev.sluice.receiver.executor.GateIterator scala.collection.AbstractIterator hasNext()Z "
                        + "next()Ljava/lang/Object;  # dev.sluice.receiver.executor.GateIterator")) {
            assertTrue(lines.contains(expected), expected + " not in\n" + String.join("\n", lines));
        }
        int advised = 0;
        for (String line : lines) {
            if (line.startsWith("declared-method ")) {
                advised++;
            }
        }
        assertEquals(Hooks.ALL.size(), advised);
    }

    @Test
    void eachAreaIsGeneratedFromTheClassesOfItsOwnPackages() throws Exception {
        java.util.Set<String> receiver = GenerateReferences.classesOf(Areas.RECEIVER, mainClasses()).keySet();
        for (String stage : Arrays.asList("dev.sluice.receiver.advice.StoreSingleAdvice",
                "dev.sluice.receiver.driver.DriverRuntime", "dev.sluice.receiver.executor.StreamGates",
                "dev.sluice.receiver.guard.JvmMemory", "dev.sluice.runtime.SparkConfEntries")) {
            assertTrue(receiver.contains(stage), stage + " is not scanned for the receiver area: " + receiver);
        }
        for (String c : receiver) {
            assertTrue(c.startsWith("dev.sluice.receiver.") || c.startsWith("dev.sluice.runtime."), c);
        }
        for (String c : GenerateReferences.classesOf(Areas.KAFKA_DIRECT, mainClasses()).keySet()) {
            assertTrue(c.startsWith("dev.sluice.kafka."), c);
        }
    }

    @Test
    void theScannerFindsANewCallIntoSpark() throws Exception {
        // A class calling Receiver.restart(String) and reading scala.None$.MODULE$: new references to be caught.
        byte[] newCode = new ByteBuddy().subclass(Object.class).name("dev.sluice.receiver.executor.NewCode")
                .defineMethod("poke", void.class, Visibility.PUBLIC).withParameters(Receiver.class)
                .intercept(MethodCall.invoke(Receiver.class.getMethod("restart", String.class)).onArgument(0)
                        .with("why"))
                .make().getBytes();
        ReferenceScanner scanner = new ReferenceScanner(Areas.RECEIVER.hostPackages);
        scanner.scan(newCode);
        SortedMap<String, SortedSet<String>> found = scanner.references();
        assertTrue(found.containsKey("method org.apache.spark.streaming.receiver.Receiver restart "
                + "(Ljava/lang/String;)V"), found.toString());
        assertTrue(found.containsKey("type org.apache.spark.streaming.receiver.Receiver"), found.toString());
        assertEquals("[dev.sluice.receiver.executor.NewCode]",
                found.get("type org.apache.spark.streaming.receiver.Receiver").toString());
    }

    @ParameterizedTest
    @MethodSource("areasOnTheTestClassPath")
    void everyReferenceResolvesAgainstTheSparkAndScalaOfTheTestClassPath(ReferenceArea area) throws Exception {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(testLoader));
        for (String line : ReferenceCheck.load(area, testLoader)) {
            assertNull(Reference.parse(line).check(pool), line);
        }
    }

    @Test
    void aBoundFieldMustFitTheAdviceParameterItIsBoundTo() throws Exception {
        // A host class whose field is a String: fits a CharSequence parameter, not a Number one; a field without a type
        // to fit (an Object parameter) only has to exist.
        byte[] host = new ByteBuddy().subclass(Object.class).name("org.apache.spark.Host")
                .defineField("name", String.class, Visibility.PRIVATE).make().getBytes();
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of("org.apache.spark.Host", host),
                ClassFileLocator.ForClassLoader.ofBootLoader()));
        assertNull(Reference.parse("declared-field org.apache.spark.Host name Ljava/lang/CharSequence;").check(pool));
        assertNull(Reference.parse("declared-field org.apache.spark.Host name").check(pool));
        assertEquals("field org.apache.spark.Host.name is Ljava/lang/String;, not assignable to Ljava/lang/Number;",
                Reference.parse("declared-field org.apache.spark.Host name Ljava/lang/Number;").check(pool));
        assertEquals("field org.apache.spark.Host.name is Ljava/lang/String;, not assignable to J",
                Reference.parse("declared-field org.apache.spark.Host name J").check(pool));
    }

    @Test
    void aHostClassThatGainsAnAbstractMethodIsCaught() throws Exception {
        // scala.collection.AbstractIterator with one more abstract method than GateIterator implements.
        byte[] changed = new ByteBuddy().subclass(Object.class).name("scala.collection.AbstractIterator")
                .modifiers(net.bytebuddy.description.modifier.TypeManifestation.ABSTRACT, Visibility.PUBLIC)
                .defineMethod("knownSize", int.class, Visibility.PUBLIC)
                .withoutCode().make().getBytes();
        TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of("scala.collection.AbstractIterator", changed),
                ClassFileLocator.ForClassLoader.of(testLoader)));
        String problem = Reference.parse("subclass dev.sluice.receiver.executor.GateIterator "
                + "scala.collection.AbstractIterator hasNext()Z next()Ljava/lang/Object;").check(pool);
        assertEquals("dev.sluice.receiver.executor.GateIterator does not implement abstract method "
                + "scala.collection.AbstractIterator.knownSize()I", problem);
    }
}
