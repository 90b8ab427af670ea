package dev.sluice.agent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the shaded agent jar built in the package phase (runs in integration-test, after it exists). */
class ShadedJarIT {

    private static File jar() {
        File f = new File("target/sluice-agent-" + System.getProperty("sluice.version", "0.1.0-SNAPSHOT") + ".jar");
        assertTrue(f.isFile(), "shaded jar missing: " + f.getAbsolutePath());
        return f;
    }

    private static byte[] read(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    @Test
    void manifestNamesTheAgentEntryPoints() throws IOException {
        try (JarFile jar = new JarFile(jar())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.sluice.agent.SluiceAgent", a.getValue("Premain-Class"));
            assertEquals("dev.sluice.agent.SluiceAgent", a.getValue("Agent-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void everyClassLoadsOnJava8AndThirdPartiesAreRelocated() throws IOException {
        int classes = 0;
        try (JarFile jar = new JarFile(jar())) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String name = e.getName();
                assertFalse(name.startsWith("org/slf4j/"), "SLF4J is the host's, not bundled: " + name);
                assertFalse(name.startsWith("net/bytebuddy/"), "Byte Buddy must be relocated: " + name);
                assertFalse(name.startsWith("io/micrometer/"), "Micrometer must be relocated: " + name);
                assertFalse(name.startsWith("org/apache/spark/") || name.startsWith("scala/"), name);
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    byte[] b = read(jar, e);
                    int major = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
                    assertTrue(major <= 52, name + " has class-file major version " + major);
                    if (name.startsWith("dev/sluice/") && !name.startsWith("dev/sluice/shaded/")) {
                        assertEquals(52, major, name);
                    }
                    classes++;
                }
            }
            assertTrue(jar.getEntry("dev/sluice/shaded/bytebuddy/agent/builder/AgentBuilder.class") != null);
            assertTrue(jar.getEntry("dev/sluice/shaded/micrometer/core/instrument/MeterRegistry.class") != null);
            String advice = new String(read(jar, jar.getJarEntry("dev/sluice/advice/StoreSingleAdvice.class")),
                    StandardCharsets.ISO_8859_1);
            assertTrue(advice.contains("dev/sluice/shaded/bytebuddy/asm/Advice"), "advice annotations relocated");
            assertFalse(advice.contains("net/bytebuddy"));
        }
        assertTrue(classes > 1000, "classes: " + classes);
    }
}
