package dev.sluice.bench;

import java.lang.reflect.Method;

/**
 * Reads the agent's executor runtime ({@code dev.sluice.receiver.executor.StreamGates}) reflectively: the agent jar is
 * on the system class path only in instrumented forks, so the benchmark code cannot link against it. Used outside the
 * measured code only, to prove that the advice really runs in front of {@code store} and with the intended strategy and
 * bound.
 * The methods are looked up once, in setup: reflection allocates, and the trial's tear-down falls inside the last
 * measured iteration, where {@code -prof gc} would count it.
 */
final class SluiceProbe {

    private final Object stream;
    private final Object counters;
    private final Method offered;
    private final Method strategyName;
    private final Method effectiveBound;

    private SluiceProbe(Object stream) throws ReflectiveOperationException {
        this.stream = stream;
        this.counters = accessible(stream.getClass().getMethod("counters")).invoke(stream);
        this.offered = accessible(counters.getClass().getMethod("offered"));
        this.strategyName = accessible(stream.getClass().getMethod("strategyName"));
        this.effectiveBound = accessible(stream.getClass().getMethod("effectiveBound"));
    }

    /** The runtime's managed stream {@code streamId}, or null if the advice has not created it (never ran). */
    static SluiceProbe of(int streamId) {
        try {
            Class<?> gates = Class.forName("dev.sluice.receiver.executor.StreamGates", true,
                    ClassLoader.getSystemClassLoader());
            Object stream = gates.getMethod("existing", int.class).invoke(null, streamId);
            return stream == null ? null : new SluiceProbe(stream);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot read the Sluice runtime "
                    + "(dev.sluice.receiver.executor.StreamGates): " + e, e);
        }
    }

    long offered() {
        return ((Number) call(offered, counters)).longValue();
    }

    String strategyName() {
        return String.valueOf(call(strategyName, stream));
    }

    double effectiveBound() {
        return ((Number) call(effectiveBound, stream)).doubleValue();
    }

    @Override
    public String toString() {
        return "strategy=" + strategyName() + " bound=" + effectiveBound() + " offered=" + offered();
    }

    private static Method accessible(Method m) {
        m.setAccessible(true);
        return m;
    }

    private static Object call(Method method, Object target) {
        try {
            return method.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the Sluice runtime (" + method + "): " + e, e);
        }
    }
}
