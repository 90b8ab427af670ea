package dev.sluice.agent;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceCheck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkCompatibilityTest {

    private final ClassLoader testLoader = getClass().getClassLoader();

    @Test
    void realSpark357JarHasEveryHookedMethod() {
        SparkCompatibility.Result r = SparkCompatibility.check(testLoader);
        assertTrue(r.classesVisible);
        assertTrue(r.compatible, String.valueOf(r.problem));
        assertNull(r.problem);
        assertEquals(17, Hooks.ALL.size(), "9 store overloads + updateRate, getCurrentLimit, createBlockGenerator, "
                + "startReceiver, stopReceiver, start, stop, publish");
        List<String> references = references();
        assertTrue(references.size() > Hooks.ALL.size(), "the advised methods and what the code references");
    }

    @Test
    void sparkVersionComesFromTheStreamingJar() {
        assertEquals("3.5.7", SparkCompatibility.sparkVersion(testLoader));
    }

    @Test
    void aMissingMethodIsNamedWithTheSparkVersion() throws Exception {
        // A Receiver that has store(Object) but none of the other overloads.
        byte[] fakeReceiver = new ByteBuddy().subclass(Object.class).name(Hooks.RECEIVER)
                .defineMethod("store", void.class, Visibility.PUBLIC).withParameters(Object.class)
                .intercept(StubMethod.INSTANCE).make().getBytes();
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(Hooks.RECEIVER, fakeReceiver),
                ClassFileLocator.ForClassLoader.of(testLoader));
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), Areas.RECEIVER, "9.9.9");
        assertTrue(r.classesVisible);
        assertFalse(r.compatible);
        assertTrue(r.problem.startsWith("Sluice: Spark 9.9.9 is not supported (receiver instrumentation): method "
                + "org.apache.spark.streaming.receiver.Receiver.store(Ljava/nio/ByteBuffer;)V not found (used by "
                + "dev.sluice.receiver.advice.StoreByteBufferAdvice) (and "), r.problem);
        assertTrue(r.problem.endsWith(" more); Sluice leaves Spark uninstrumented"), r.problem);
    }

    @Test
    void aMissingClassAmongVisibleOnesIsAMismatch() {
        List<String> references = new ArrayList<>(references());
        references.add("type org.apache.spark.streaming.NoSuchClass  # dev.sluice.Somewhere");
        SparkCompatibility.Result r = SparkCompatibility.check(
                TypePool.Default.of(ClassFileLocator.ForClassLoader.of(testLoader)), Areas.RECEIVER, references,
                "3.5.7");
        assertFalse(r.compatible);
        assertTrue(r.problem.contains("class org.apache.spark.streaming.NoSuchClass not found (used by "
                + "dev.sluice.Somewhere)"), r.problem);
    }

    @Test
    void aCalledMethodMissingInTheHostIsAMismatchNamingItsUser() throws Exception {
        // A ReceiverSupervisor with none of its methods: what the lifecycle advice and coalescing call.
        byte[] fake = new ByteBuddy().subclass(Object.class).name("org.apache.spark.streaming.receiver.ReceiverSupervisor")
                .make().getBytes();
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of("org.apache.spark.streaming.receiver.ReceiverSupervisor", fake),
                ClassFileLocator.ForClassLoader.of(testLoader));
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), Areas.RECEIVER, "9.9.9");
        assertFalse(r.compatible);
        assertTrue(r.problem.contains("method org.apache.spark.streaming.receiver.ReceiverSupervisor.startReceiver"
                + "()V not found (used by dev.sluice.receiver.advice.ReceiverStartAdvice) (and "), r.problem);
    }

    @Test
    void noSparkAtAllMeansNotVisibleYetRatherThanAMismatch() {
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(ClassFileLocator.NoOp.INSTANCE),
                Areas.RECEIVER, "x");
        assertFalse(r.classesVisible);
        assertFalse(r.compatible);
        assertNull(r.problem);
        assertEquals(Collections.emptyList(), Collections.emptyList());
    }

    @Test
    void aMissingFieldTheAdviceBindsIsAMismatch() throws Exception {
        // A ReceiverSupervisorImpl with createBlockGenerator but without its defaultBlockGeneratorListener field.
        byte[] fake = new ByteBuddy().subclass(Object.class).name(Hooks.SUPERVISOR_IMPL)
                .defineMethod("createBlockGenerator", org.apache.spark.streaming.receiver.BlockGenerator.class,
                        Visibility.PUBLIC)
                .withParameters(org.apache.spark.streaming.receiver.BlockGeneratorListener.class)
                .intercept(StubMethod.INSTANCE).make().getBytes();
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(Hooks.SUPERVISOR_IMPL, fake),
                ClassFileLocator.ForClassLoader.of(testLoader));
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), Areas.RECEIVER, "9.9.9");
        assertFalse(r.compatible);
        assertTrue(r.problem.contains("field org.apache.spark.streaming.receiver.ReceiverSupervisorImpl"
                + ".defaultBlockGeneratorListener"), r.problem);
    }

    private List<String> references() {
        try {
            return ReferenceCheck.load(Areas.RECEIVER, testLoader);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
