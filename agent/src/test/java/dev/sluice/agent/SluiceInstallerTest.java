package dev.sluice.agent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SluiceInstallerTest {

    @Test
    void deferredCheckAcceptsALoaderWithTheRealSparkAndRejectsOneWithout() {
        SluiceInstaller.CompatibleLoader check = new SluiceInstaller.CompatibleLoader();
        assertTrue(check.matches(null, getClass().getClassLoader(), null, null, null));
        ClassLoader empty = new ClassLoader(null) {
        };
        // Nothing visible at all through this loader: incomplete, so left uninstrumented.
        assertFalse(check.matches(null, empty, null, null, null));
    }

    @Test
    void theBuilderIsCreatedForBothModes() {
        assertTrue(SluiceInstaller.builder(false) != null);
        assertTrue(SluiceInstaller.builder(true) != null);
    }
}
