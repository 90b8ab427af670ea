package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up check (the generated references of every area over Spark's own classes, {@link Areas#SPARK}) against
 * the released jars of every supported Spark line (copied from Maven Central into
 * {@code target/spark-lines/<version>-<scala>/} by this module's pom; the Kafka area: {@link KafkaDirectAreaTest}): each line must be found compatible, or the
 * agent would leave it uninstrumented. This is what the compatibility matrix calls "checked by descriptors"; the
 * smoke tests run some lines for real.
 */
class SparkLinesDescriptorTest {

    /** Every line the README's matrix names; a line missing from the pom's copy list fails the test. */
    private static final List<String> LINES = Arrays.asList("3.4.4-2.12", "3.4.3-2.13", "3.5.9-2.12", "3.5.6-2.13",
            "4.0.1-2.13", "4.1.0-2.13", "4.2.0-2.13");

    @TestFactory
    Stream<DynamicTest> everySupportedLineHasEveryHookedMember() {
        File root = new File("target/spark-lines");
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : LINES) {
            tests.add(DynamicTest.dynamicTest(line, () -> check(new File(root, line), line)));
        }
        return tests.stream();
    }

    private static void check(File dir, String line) throws IOException {
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        assertNotNull(jars, "no jars for Spark " + line + " in " + dir.getAbsolutePath());
        assertEquals(3, jars.length, Arrays.toString(jars));
        List<ClassFileLocator> locators = new ArrayList<>();
        for (File jar : jars) {
            locators.add(ClassFileLocator.ForJarFile.of(jar));
        }
        // The JDK's own classes (the hierarchies end in java.lang.Object), but not this test's class path, which holds
        // the Spark the module compiles against.
        locators.add(ClassFileLocator.ForClassLoader.ofBootLoader());
        ClassFileLocator locator = new ClassFileLocator.Compound(locators);
        try {
            String version = line.substring(0, line.indexOf('-'));
            for (ReferenceArea area : Areas.SPARK) {
                SparkCompatibility.Result r = SparkCompatibility.check(TypePool.Default.of(locator), area, version);
                assertTrue(r.classesVisible, line + " " + area);
                assertTrue(r.compatible, line + ": " + r.problem);
            }
        } finally {
            locator.close();
        }
    }
}
