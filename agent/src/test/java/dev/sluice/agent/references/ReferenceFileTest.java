package dev.sluice.agent.references;

import dev.sluice.agent.Hooks;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.pool.TypePool;
import org.apache.spark.streaming.receiver.Receiver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void theFileInTheBuildIsWhatTheCompiledClassesReference() throws Exception {
        List<String> built = new ArrayList<>();
        built.add(GenerateReferences.HEADER);
        built.addAll(ReferenceCheck.load(Areas.RECEIVER, testLoader));
        assertEquals(String.join("\n", GenerateReferences.generate(Areas.RECEIVER, mainClasses())),
                String.join("\n", built),
                "target/classes/" + Areas.RECEIVER.resource() + " is stale: run the build's process-classes phase");
    }

    @Test
    void everyReferenceTheCodeMakesIsListedWithItsUser() throws Exception {
        List<String> lines = GenerateReferences.generate(Areas.RECEIVER, mainClasses());
        // A sample of what the code references, by kind: each must be found without being named anywhere by hand.
        for (String expected : Arrays.asList(
                "declared-method org.apache.spark.streaming.receiver.Receiver store (Ljava/lang/Object;)V  # "
                        + "dev.sluice.advice.StoreSingleAdvice",
                "declared-field org.apache.spark.streaming.receiver.ReceiverSupervisorImpl "
                        + "defaultBlockGeneratorListener  # dev.sluice.advice.CreateBlockGeneratorAdvice",
                "method org.apache.spark.streaming.receiver.ReceiverSupervisor pushSingle (Ljava/lang/Object;)V  # "
                        + "dev.sluice.runtime.BulkCoalescing",
                "method org.apache.spark.streaming.scheduler.ReceiverTracker sendRateUpdate (IJ)V  # "
                        + "dev.sluice.runtime.ReceiverTrackerChannel",
                "subclass dev.sluice.runtime.GateIterator scala.collection.AbstractIterator hasNext()Z "
                        + "next()Ljava/lang/Object;  # dev.sluice.runtime.GateIterator")) {
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
    void theScannerFindsANewCallIntoSpark() throws Exception {
        // A class calling Receiver.restart(String) and reading scala.None$.MODULE$: new references to be caught.
        byte[] newCode = new ByteBuddy().subclass(Object.class).name("dev.sluice.runtime.NewCode")
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
        assertEquals("[dev.sluice.runtime.NewCode]", found.get("type org.apache.spark.streaming.receiver.Receiver")
                .toString());
    }

    @Test
    void everyReferenceResolvesAgainstTheSparkAndScalaOfTheTestClassPath() throws Exception {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(testLoader));
        for (String line : ReferenceCheck.load(Areas.RECEIVER, testLoader)) {
            assertNull(Reference.parse(line).check(pool), line);
        }
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
        String problem = Reference.parse("subclass dev.sluice.runtime.GateIterator scala.collection.AbstractIterator "
                + "hasNext()Z next()Ljava/lang/Object;").check(pool);
        assertEquals("dev.sluice.runtime.GateIterator does not implement abstract method "
                + "scala.collection.AbstractIterator.knownSize()I", problem);
    }
}
