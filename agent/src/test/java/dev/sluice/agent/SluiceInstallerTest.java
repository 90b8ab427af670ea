package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SluiceInstallerTest {

    private final List<String> lines = new ArrayList<>();
    private final ClassLoader testLoader = getClass().getClassLoader();

    /** A loader of its own holding the real Spark and Scala jars of the test class path (not delegating to ours). */
    private static URLClassLoader isolatedSpark() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("spark-") || name.startsWith("scala-")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        assertTrue(urls.size() >= 3, "spark-core, spark-streaming, scala-library on the test class path: " + urls);
        return new URLClassLoader(urls.toArray(new URL[0]), null);
    }

    @Test
    void sparkInTheRuntimesOwnLoaderIsAdvised() {
        SluiceInstaller.HostLoader policy = new SluiceInstaller.HostLoader(testLoader, null, lines::add);
        assertTrue(policy.matches(null, testLoader, null, null, null));
        assertTrue(lines.isEmpty());
    }

    @Test
    void sparkOutsideTheRuntimesLoaderIsRefusedWithOneLine() throws Exception {
        try (URLClassLoader isolated = isolatedSpark()) {
            for (ReferenceArea checkAtLoad : new ReferenceArea[] {null, Areas.RECEIVER}) {
                lines.clear();
                SluiceInstaller.HostLoader policy = new SluiceInstaller.HostLoader(testLoader, checkAtLoad, lines::add);
                assertTrue(SparkCompatibility.check(isolated).compatible, "a complete, matching Spark");
                assertFalse(policy.matches(null, isolated, null, null, null), "but the runtime cannot link to it");
                assertFalse(policy.matches(null, isolated, null, null, null));
                assertEquals(1, lines.size(), "one line per loader: " + lines);
                assertTrue(lines.get(0).startsWith("Sluice: Spark class (unknown) is loaded by "), lines.get(0));
                assertTrue(lines.get(0).endsWith("stays uninstrumented (put Spark on the application class path, as "
                        + "spark-submit does)"), lines.get(0));
            }
        }
    }

    @Test
    void anAncestorOfTheRuntimesLoaderIsAccepted() {
        ClassLoader empty = new ClassLoader(testLoader) {
        };
        // A child of the runtime's loader that defines Spark classes itself would not link either; one that only
        // delegates never defines them. What remains to check at load: the references, against the runtime's loader.
        SluiceInstaller.HostLoader policy = new SluiceInstaller.HostLoader(empty, Areas.RECEIVER, lines::add);
        assertTrue(policy.matches(null, testLoader, null, null, null), "an ancestor of the runtime's loader");
        assertTrue(lines.isEmpty(), String.valueOf(lines));
    }

    @Test
    void theBuilderIsCreatedForBothModes() {
        assertTrue(SluiceInstaller.builder(false) != null);
        assertTrue(SluiceInstaller.builder(true) != null);
    }
}
