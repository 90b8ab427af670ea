package dev.sluice.bench;

import java.lang.reflect.Method;

/**
 * Reads the agent's executor runtime ({@code dev.sluice.runtime.StreamGates}) reflectively: the agent jar is on the
 * system class path only in instrumented forks, so the benchmark code cannot link against it. Used outside the measured
 * code only, to prove that the advice really runs in front of {@code store} and with the intended strategy and bound.
 */
final class SluiceProbe {

    private final Object stream;

    private SluiceProbe(Object stream) {
        this.stream = stream;
    }

    /** The runtime's managed stream {@code streamId}, or null if the advice has not created it (never ran). */
    static SluiceProbe of(int streamId) {
        try {
            Class<?> gates = Class.forName("dev.sluice.runtime.StreamGates", true, ClassLoader.getSystemClassLoader());
            Object stream = gates.getMethod("existing", int.class).invoke(null, streamId);
            return stream == null ? null : new SluiceProbe(stream);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot read the Sluice runtime (dev.sluice.runtime.StreamGates.existing): "
                    + e, e);
        }
    }

    long offered() {
        Object counters = call(stream, "counters");
        return ((Number) call(counters, "offered")).longValue();
    }

    String strategyName() {
        return String.valueOf(call(stream, "strategyName"));
    }

    double effectiveBound() {
        return ((Number) call(stream, "effectiveBound")).doubleValue();
    }

    @Override
    public String toString() {
        return "strategy=" + strategyName() + " bound=" + effectiveBound() + " offered=" + offered();
    }

    private static Object call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            m.setAccessible(true);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the Sluice runtime (" + target.getClass().getName() + "."
                    + method + "()): " + e, e);
        }
    }
}
