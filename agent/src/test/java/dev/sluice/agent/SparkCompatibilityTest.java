package dev.sluice.agent;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.StubMethod;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.Collections;

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
        assertEquals(15, Hooks.ALL.size(), "9 store overloads + updateRate, getCurrentLimit, createBlockGenerator, "
                + "start, stop, publish");
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
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), Hooks.ALL, "9.9.9");
        assertTrue(r.classesVisible);
        assertFalse(r.compatible);
        assertEquals("Sluice: Spark 9.9.9 is not supported: method org.apache.spark.streaming.receiver.Receiver.store"
                + "(Lscala/collection/mutable/ArrayBuffer;)V not found; Sluice leaves Spark uninstrumented", r.problem);
    }

    @Test
    void aMissingClassAmongVisibleOnesIsAMismatch() {
        HookPoint ghost = new HookPoint("org.apache.spark.streaming.NoSuchClass", "x", "()V", Object.class);
        SparkCompatibility.Result r = SparkCompatibility.check(
                TypePool.Default.of(ClassFileLocator.ForClassLoader.of(testLoader)),
                java.util.Arrays.asList(Hooks.ALL.get(0), ghost), "3.5.7");
        assertFalse(r.compatible);
        assertTrue(r.problem.contains("class org.apache.spark.streaming.NoSuchClass not found"), r.problem);
    }

    @Test
    void noSparkAtAllMeansNotVisibleYetRatherThanAMismatch() {
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(ClassFileLocator.NoOp.INSTANCE),
                Hooks.ALL, "x");
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
        SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), Hooks.ALL, "9.9.9");
        assertFalse(r.compatible);
        assertTrue(r.problem.contains("field org.apache.spark.streaming.receiver.ReceiverSupervisorImpl"
                + ".defaultBlockGeneratorListener"), r.problem);
    }
}
