package dev.sluice.strategy.builtin;

import dev.sluice.strategy.CongestionStrategy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Turns {@code sluice.strategy} values into strategies: a built-in name or a class name. */
public final class Strategies {

    public static final List<String> BUILTIN_NAMES = Collections.unmodifiableList(
            Arrays.asList(ThrottleStrategy.NAME, DropStrategy.NAME, SampleStrategy.NAME));

    /** What {@code sluice.strategy} accepts, for error messages. */
    public static final String ALLOWED = "throttle, drop, sample, or the name of a public class implementing "
            + CongestionStrategy.class.getName() + " with a public no-argument constructor";

    private Strategies() {
    }

    /** Whether {@code name} is a built-in strategy name (case-insensitive, surrounding blanks ignored). */
    public static boolean isBuiltin(String name) {
        return name != null && BUILTIN_NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code strategy} is one of Sluice's own (including the pass-through), not a user's class. */
    public static boolean isSluices(CongestionStrategy strategy) {
        return strategy instanceof ThrottleStrategy || strategy instanceof DropStrategy
                || strategy instanceof SampleStrategy || strategy instanceof PassThroughStrategy;
    }

    /**
     * A new strategy instance. Class names are tried in each of {@code loaders} (nulls skipped) in order, then in the
     * thread's context class loader, then in this class's loader: the application's classes are usually visible to the
     * first, the agent's to the last.
     *
     * @throws StrategyLoadException naming the value and what is allowed
     */
    public static CongestionStrategy create(String nameOrClassName, ClassLoader... loaders) {
        if (nameOrClassName == null || nameOrClassName.trim().isEmpty()) {
            throw fail(String.valueOf(nameOrClassName), "is empty", null);
        }
        String value = nameOrClassName.trim();
        switch (value.toLowerCase(Locale.ROOT)) {
            case ThrottleStrategy.NAME:
                return new ThrottleStrategy();
            case DropStrategy.NAME:
                return new DropStrategy();
            case SampleStrategy.NAME:
                return new SampleStrategy();
            default:
                return instantiate(value, load(value, loaders));
        }
    }

    /** The name a strategy is reported under: the built-in name, else its class name. */
    public static String nameOf(CongestionStrategy strategy) {
        if (strategy instanceof ThrottleStrategy) {
            return ThrottleStrategy.NAME;
        }
        if (strategy instanceof DropStrategy) {
            return DropStrategy.NAME;
        }
        if (strategy instanceof SampleStrategy) {
            return SampleStrategy.NAME;
        }
        if (strategy instanceof PassThroughStrategy) {
            return PassThroughStrategy.NAME;
        }
        return strategy == null ? "null" : strategy.getClass().getName();
    }

    private static Class<?> load(String className, ClassLoader... loaders) {
        Throwable lastFailure = null;
        int tried = 0;
        for (ClassLoader loader : candidates(loaders)) {
            if (loader == null) {
                continue;
            }
            tried++;
            try {
                return Class.forName(className, false, loader);
            } catch (ClassNotFoundException e) {
                lastFailure = e;
            } catch (LinkageError e) {
                // Found but unusable (e.g. compiled for a newer Java): say so rather than "not found".
                throw fail(className, "cannot be loaded: " + e, e);
            }
        }
        throw fail(className, "is neither a built-in strategy nor a class found in " + tried + " class loader(s)",
                lastFailure);
    }

    private static ClassLoader[] candidates(ClassLoader... loaders) {
        ClassLoader[] given = loaders == null ? new ClassLoader[0] : loaders;
        ClassLoader[] all = Arrays.copyOf(given, given.length + 2);
        all[given.length] = Thread.currentThread().getContextClassLoader();
        all[given.length + 1] = Strategies.class.getClassLoader();
        return all;
    }

    private static CongestionStrategy instantiate(String className, Class<?> type) {
        if (!CongestionStrategy.class.isAssignableFrom(type)) {
            throw fail(className, "does not implement " + CongestionStrategy.class.getName()
                    + " (as seen from its class loader)", null);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw fail(className, "is abstract or an interface", null);
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return (CongestionStrategy) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw fail(className, "has no public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw fail(className, "threw from its constructor: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw fail(className, "cannot be instantiated: " + e, e);
        }
    }

    private static StrategyLoadException fail(String value, String problem, Throwable cause) {
        return new StrategyLoadException(value, "strategy '" + value + "' " + problem + "; allowed: " + ALLOWED, cause);
    }
}
