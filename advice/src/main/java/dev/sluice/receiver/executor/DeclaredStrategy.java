package dev.sluice.receiver.executor;

import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.DeclaresCongestionStrategy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A receiver's own choice of congestion strategy ({@link DeclaresCongestionStrategy}) and how it ranks against the
 * configuration: {@code sluice.stream.<id>.strategy} &gt; the receiver's declaration &gt; {@code sluice.strategy} &gt;
 * throttle. The declaration is read from the receiver itself each time one of its incarnations is created (its start,
 * or the first bound or record before a start was seen), so a receiver never inherits another's declaration.
 */
public final class DeclaredStrategy {

    /** What a stream runs: a strategy name, or an instance the receiver built, and where the choice came from. */
    public static final class Choice {
        public final String name;
        /** The receiver's own instance, or null: create the strategy by {@link #name}. */
        public final CongestionStrategy instance;
        public final String source;

        Choice(String name, CongestionStrategy instance, String source) {
            this.name = name;
            this.instance = instance;
            this.source = source;
        }

        @Override
        public String toString() {
            return "'" + name + "' (" + source + ")";
        }
    }


    private DeclaredStrategy() {
    }

    static Choice resolve(int streamId, Choice declared, RuntimeSettings settings) {
        String key = "sluice.stream." + streamId + ".strategy";
        String perStream = settings.get(key, null);
        if (perStream != null) {
            return new Choice(perStream, null, key);
        }
        if (declared != null) {
            return declared;
        }
        return new Choice(settings.strategyOf(streamId), null, "configuration");
    }

    /** The receiver's declaration, or null. User code: every failure is contained and logged. */
    static Choice declaration(Object receiver) {
        if (receiver == null) {
            return null;
        }
        Class<?> iface = interfaceNamed(receiver.getClass(), DeclaresCongestionStrategy.NAME);
        if (iface == null) {
            return null;
        }
        String source = "declared by receiver " + receiver.getClass().getName();
        try {
            Object instance = call(iface, "congestionStrategyInstance", receiver);
            if (instance instanceof CongestionStrategy) {
                return new Choice(instance.getClass().getName(), (CongestionStrategy) instance, source);
            }
            if (instance != null) {
                SluiceLog.error("receiver " + receiver.getClass().getName() + " declared a strategy instance of "
                        + instance.getClass().getName() + ", which does not implement the agent's "
                        + CongestionStrategy.class.getName() + " (another copy of it?); ignored", null);
            }
            Object name = call(iface, "congestionStrategy", receiver);
            if (name instanceof String && !((String) name).trim().isEmpty()) {
                return new Choice(((String) name).trim(), null, source);
            }
            return null;
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
            SluiceLog.error("receiver " + receiver.getClass().getName() + " failed to declare its congestion "
                    + "strategy; the configuration decides", cause);
            return null;
        }
    }

    /** Calls a no-argument method of the interface; null when this copy of the interface does not have it. */
    private static Object call(Class<?> iface, String method, Object receiver) throws Exception {
        Method m;
        try {
            m = iface.getMethod(method);
        } catch (NoSuchMethodException olderCopy) {
            return null;
        }
        return m.invoke(receiver);
    }

    /** By name, so an application's own copy of the interface counts as well as the agent's. */
    static Class<?> interfaceNamed(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name)) {
                    return i;
                }
                Class<?> inherited = interfaceNamed(i, name);
                if (inherited != null) {
                    return inherited;
                }
            }
        }
        return null;
    }
}
