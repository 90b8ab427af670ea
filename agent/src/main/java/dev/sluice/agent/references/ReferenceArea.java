package dev.sluice.agent.references;

import dev.sluice.agent.HookPoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One instrumented area of the host (receivers, Kafka direct streams; later Structured Streaming): the packages of
 * Sluice's code for it, the host packages it may reference, the methods it advises, and the few references no bytecode
 * shows (fields read by reflection). Its reference file, {@code META-INF/sluice/references/<name>.txt}, is generated
 * from the compiled classes at build time ({@link GenerateReferences}) and checked at start-up
 * ({@link ReferenceCheck}); a mismatch disables this area alone.
 *
 * <p>A new area: name its packages and hook points here and add it to {@link Areas#ALL}; the build writes its file.
 */
public final class ReferenceArea {

    public final String name;
    /** Internal-name prefixes of Sluice's packages for this area, e.g. {@code dev/sluice/receiver/}. */
    public final List<String> packages;
    /** Internal-name prefixes of the host's packages, e.g. {@code org/apache/spark/}. */
    public final List<String> hostPackages;
    public final List<HookPoint> hooks;
    /** References the bytecode cannot show, each with the class that makes it: {reference line, user}. */
    public final List<String[]> reflective;

    public ReferenceArea(String name, List<String> packages, List<String> hostPackages, List<HookPoint> hooks,
                         List<String[]> reflective) {
        this.name = name;
        this.packages = Collections.unmodifiableList(new ArrayList<String>(packages));
        this.hostPackages = Collections.unmodifiableList(new ArrayList<String>(hostPackages));
        this.hooks = Collections.unmodifiableList(new ArrayList<HookPoint>(hooks));
        this.reflective = Collections.unmodifiableList(new ArrayList<String[]>(reflective));
    }

    /** The classpath resource holding this area's references. */
    public String resource() {
        return "META-INF/sluice/references/" + name + ".txt";
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }

    @Override
    public String toString() {
        return name;
    }
}
