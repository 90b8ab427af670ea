package dev.sluice.testbed.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SparkVersionTest {

    @Test
    void parsesReleasesWithAndWithoutScala() {
        assertEquals("3.5.7/2.12", SparkVersion.parse("3.5.7").toString());
        assertEquals("3.5.6/2.13", SparkVersion.parse("3.5.6/2.13").toString());
        assertEquals("3.4.4/2.12", SparkVersion.parse("3.4.4").toString());
        assertEquals("4.0.1/2.13", SparkVersion.parse("4.0.1").toString());
        assertEquals("4.1.0/2.13", SparkVersion.parse(" 4.1.0/2.13 ").toString());
        assertEquals("spark-4.1.0-2.13", SparkVersion.SPARK_4_1.homeName());
    }

    @Test
    void rejectsWhatSparkNeverShipped() {
        assertThrows(IllegalArgumentException.class, () -> SparkVersion.parse("4.1.0/2.12"));
        assertThrows(IllegalArgumentException.class, () -> SparkVersion.parse("3.3.0"));
        assertThrows(IllegalArgumentException.class, () -> SparkVersion.parse("3.5"));
        assertThrows(IllegalArgumentException.class, () -> SparkVersion.parse("3.5.7/2.11"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkVersion.parse("latest"));
        assertTrue(e.getMessage().contains("'latest'"), e.getMessage());
    }

    @Test
    void moduleFlagsFollowJavaModuleOptionsOfEachLine() {
        List<String> f35 = SparkVersion.parse("3.5.7").driverModuleFlags();
        assertTrue(f35.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        assertTrue(f35.contains("--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"));
        assertTrue(f35.contains("-Djdk.reflect.useDirectMethodHandle=false"));
        assertEquals(14, f35.stream().filter(s -> s.startsWith("--add-opens=java.base/")).count());
        assertFalse(f35.contains("--add-modules=jdk.incubator.vector"));

        List<String> f40 = SparkVersion.parse("4.0.1").driverModuleFlags();
        assertTrue(f40.contains("--add-modules=jdk.incubator.vector"));
        assertTrue(f40.contains("-Dio.netty.tryReflectionSetAccessible=true"));
        assertFalse(f40.contains("--enable-native-access=ALL-UNNAMED"));

        List<String> f41 = SparkVersion.parse("4.1.0").driverModuleFlags();
        assertTrue(f41.containsAll(f40));
        assertTrue(f41.contains("--enable-native-access=ALL-UNNAMED"));
        assertTrue(f41.contains("-Dio.netty.allocator.type=pooled"));
        assertTrue(f41.contains("-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE"));
    }
}
