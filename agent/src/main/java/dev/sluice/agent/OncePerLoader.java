package dev.sluice.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A hooked area's compatibility check, run once per class loader the first time one of its classes loads there: the
 * verdict is kept (weakly, per loader) and a refusal is said once, on stderr (this runs while a class loads; touching
 * the host's logging here could recurse).
 */
abstract class OncePerLoader implements AgentBuilder.RawMatcher {

    private final Map<ClassLoader, Boolean> verdicts =
            Collections.synchronizedMap(new WeakHashMap<ClassLoader, Boolean>());
    private final SluiceInstaller.Report report;

    /** @param report where a refusal's line goes ({@link SluiceInstaller#SYSTEM_ERR} outside tests) */
    OncePerLoader(SluiceInstaller.Report report) {
        this.report = report;
    }

    /**
     * Null when the area's classes in {@code loader} are as expected; else the line to print, or "" to refuse without a
     * line (the host has nothing for this hook to govern, so there is nothing to say). {@code type} is the class being
     * loaded that triggered the check.
     */
    abstract String refusal(TypeDescription type, ClassLoader loader);

    /** The area passed its check in some loader. */
    void accepted() {
    }

    @Override
    public final boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> beingRedefined,
                                 ProtectionDomain domain) {
        ClassLoader key = loader == null ? ClassLoader.getSystemClassLoader() : loader;
        Boolean verdict = verdicts.get(key);
        if (verdict == null) {
            String refusal = refusal(type, key);
            verdict = refusal == null;
            verdicts.put(key, verdict);
            if (verdict) {
                accepted();
            } else if (!refusal.isEmpty()) {
                report.line(refusal);
            }
        }
        return verdict;
    }
}
