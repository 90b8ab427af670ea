package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategiesTest {

    public static final class Custom implements CongestionStrategy {
        @Override
        public boolean admit(Object record, Budget budget) {
            return true;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            chunk.keepAll();
        }

        @Override
        public boolean mayDiscard() {
            return false;
        }
    }

    public static final class NoDefaultConstructor extends Object {
        public NoDefaultConstructor(int x) {
        }
    }

    public static final class Explodes implements CongestionStrategy {
        public Explodes() {
            throw new IllegalStateException("cannot start");
        }

        @Override
        public boolean admit(Object record, Budget budget) {
            return true;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
        }

        @Override
        public boolean mayDiscard() {
            return false;
        }
    }

    @Test
    void builtinNames() {
        assertTrue(Strategies.create("throttle") instanceof ThrottleStrategy);
        assertTrue(Strategies.create(" DROP ") instanceof DropStrategy);
        assertTrue(Strategies.create("Sample") instanceof SampleStrategy);
        assertTrue(Strategies.isBuiltin("drop"));
        assertFalse(Strategies.isBuiltin("com.acme.X"));
        assertFalse(Strategies.isBuiltin(null));
        assertEquals(3, Strategies.BUILTIN_NAMES.size());
        assertThrows(UnsupportedOperationException.class, () -> Strategies.BUILTIN_NAMES.add("x"));
    }

    @Test
    void aClassNameIsLoadedAndInstantiated() {
        CongestionStrategy s = Strategies.create(Custom.class.getName(), (ClassLoader) null,
                getClass().getClassLoader());
        assertTrue(s instanceof Custom);
        assertEquals(Custom.class.getName(), Strategies.nameOf(s));
        assertEquals("sample", Strategies.nameOf(new SampleStrategy()));
    }

    @Test
    void laterLoadersAreTriedWhenEarlierOnesDoNotSeeTheClass() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertTrue(Strategies.create(Custom.class.getName(), empty) instanceof Custom);
        }
    }

    @Test
    void anUnknownNameSaysWhatIsAllowed() {
        StrategyLoadException e = assertThrows(StrategyLoadException.class, () -> Strategies.create("drop-oldest"));
        assertEquals("drop-oldest", e.value());
        assertTrue(e.getMessage().startsWith("strategy 'drop-oldest' is neither a built-in strategy nor a class"),
                e.getMessage());
        assertTrue(e.getMessage().contains("allowed: throttle, drop, sample, or the name of a public class implementing "
                + "dev.sluice.strategy.CongestionStrategy with a public no-argument constructor"), e.getMessage());
    }

    @Test
    void unusableClassesAreExplained() {
        assertMessage(String.class.getName(), "does not implement dev.sluice.strategy.CongestionStrategy");
        assertMessage(NoDefaultConstructor.class.getName(), "does not implement");
        assertMessage(CongestionStrategy.class.getName(), "is abstract or an interface");
        assertMessage(Explodes.class.getName(), "threw from its constructor: java.lang.IllegalStateException");
        assertMessage("", "is empty");
        assertMessage(null, "is empty");
    }

    public static final class PrivateConstructor implements CongestionStrategy {
        private PrivateConstructor() {
        }

        @Override
        public boolean admit(Object record, Budget budget) {
            return true;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
        }

        @Override
        public boolean mayDiscard() {
            return false;
        }
    }

    @Test
    void aStrategyNeedsAPublicNoArgumentConstructor() {
        assertMessage(PrivateConstructor.class.getName(), "has no public no-argument constructor");
    }

    static void assertMessage(String value, String problem) {
        StrategyLoadException e = assertThrows(StrategyLoadException.class, () -> Strategies.create(value));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("; allowed: throttle, drop, sample"), e.getMessage());
    }
}
