package dev.sluice.runtime;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.DeclaresCongestionStrategy;
import dev.sluice.strategy.StrategyContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A receiver declares its strategy in code; sluice.stream.<id>.strategy overrides it, sluice.strategy does not. */
class DeclaredStrategyTest {

    @BeforeEach
    void fresh() {
        DeclaredStrategy.resetForTests();
    }

    @Test
    void theReceiversDeclarationIsUsedWithoutAnyConfigurationKey() {
        RuntimeFixture.install();
        DeclaredStrategy.noteReceiver(3, new Declaring("drop"));
        ManagedStream s = StreamGates.of(3);
        assertEquals("drop", s.strategyName());
        assertEquals("drop", s.configuredStrategy());
    }

    @Test
    void itRanksAboveTheGlobalDefault() {
        RuntimeFixture.install("sluice.strategy", "sample");
        DeclaredStrategy.noteReceiver(3, new Declaring("drop"));
        assertEquals("drop", StreamGates.of(3).strategyName());
        assertEquals("sample", StreamGates.of(4).strategyName(), "a stream whose receiver declares nothing");
    }

    @Test
    void thePerStreamKeyOverridesIt() {
        RuntimeFixture.install("sluice.stream.3.strategy", "sample");
        DeclaredStrategy.noteReceiver(3, new Declaring("drop"));
        DeclaredStrategy.Choice c = DeclaredStrategy.resolve(3, SluiceRuntime.settings());
        assertEquals("sample", c.name);
        assertEquals("sluice.stream.3.strategy", c.source);
        assertEquals("sample", StreamGates.of(3).strategyName());
    }

    @Test
    void anInstanceBuiltInCodeServesTheStreamAndIsInitialised() throws Exception {
        RuntimeFixture.install("sluice.stream.5.strategy.limit", "7");
        CountingStrategy own = new CountingStrategy();
        DeclaredStrategy.noteReceiver(5, new DeclaringInstance(own));
        ManagedStream s = StreamGates.of(5);
        assertEquals("7", own.limitSeen, "init() got the stream's strategy parameters");
        s.learnBound(1_000_000);
        s.gate().admitOne("x");
        s.gate().admitOne("y");
        assertEquals(2, own.admits.get(), "the receiver's own instance decided");
        assertEquals(CountingStrategy.class.getName(), DeclaredStrategy.resolve(5, SluiceRuntime.settings()).name);
        assertSame(own, DeclaredStrategy.resolve(5, SluiceRuntime.settings()).instance);
    }

    @Test
    void aFailingOrEmptyDeclarationLeavesItToTheConfiguration() {
        RuntimeFixture.install("sluice.strategy", "sample");
        DeclaredStrategy.noteReceiver(3, new Throwing());
        DeclaredStrategy.noteReceiver(4, new Declaring(null));
        DeclaredStrategy.noteReceiver(6, new Declaring("  "));
        DeclaredStrategy.noteReceiver(7, new Object());
        for (int id : new int[] {3, 4, 6, 7}) {
            assertEquals("sample", StreamGates.of(id).strategyName(), "stream " + id);
            assertEquals("configuration", DeclaredStrategy.resolve(id, SluiceRuntime.settings()).source);
        }
    }

    @Test
    void anUnknownDeclaredClassThrottlesAsAConfiguredOneWould() {
        RuntimeFixture.install("sluice.strategy", "drop");
        DeclaredStrategy.noteReceiver(3, new Declaring("com.acme.NoSuchStrategy"));
        assertEquals("throttle", StreamGates.of(3).strategyName());
    }

    @Test
    void aLaterReceiverOfTheStreamReplacesTheDeclaration() {
        RuntimeFixture.install();
        DeclaredStrategy.noteReceiver(3, new Declaring("drop"));
        DeclaredStrategy.noteReceiver(3, new Object());
        assertEquals("configuration", DeclaredStrategy.resolve(3, SluiceRuntime.settings()).source);
    }

    @Test
    void theDeclarationIsFoundThroughSuperclassesAndSuperinterfaces() {
        assertEquals("drop", DeclaredStrategy.declaration(new SubclassOfDeclaring()).name);
        assertEquals("sample", DeclaredStrategy.declaration(new ViaSubInterface()).name);
        assertTrue(DeclaredStrategy.declaration(new SubclassOfDeclaring()).source.contains(
                SubclassOfDeclaring.class.getName()));
        assertNull(DeclaredStrategy.declaration(null));
    }

    @Test
    void theReceiverIsReadFromItsSupervisorsPrivateField() {
        RuntimeFixture.install();
        DeclaredStrategy.noteSupervisor(new FakeSupervisorImpl(new Declaring("drop")), 3);
        assertEquals("drop", StreamGates.of(3).strategyName());
    }

    // Shaped as Spark's ReceiverSupervisorImpl extends ReceiverSupervisor(receiver: Receiver[_], ...).
    abstract static class FakeSupervisor {
        @SuppressWarnings("unused")
        private final Object receiver;

        FakeSupervisor(Object receiver) {
            this.receiver = receiver;
        }
    }

    static final class FakeSupervisorImpl extends FakeSupervisor {
        FakeSupervisorImpl(Object receiver) {
            super(receiver);
        }
    }

    static class Declaring implements DeclaresCongestionStrategy {
        private final String name;

        Declaring(String name) {
            this.name = name;
        }

        @Override
        public String congestionStrategy() {
            return name;
        }
    }

    static final class SubclassOfDeclaring extends Declaring {
        SubclassOfDeclaring() {
            super("drop");
        }
    }

    interface SamplingReceiver extends DeclaresCongestionStrategy {
        @Override
        default String congestionStrategy() {
            return "sample";
        }
    }

    static final class ViaSubInterface implements SamplingReceiver {
    }

    static final class Throwing implements DeclaresCongestionStrategy {
        @Override
        public String congestionStrategy() {
            throw new IllegalStateException("receiver bug");
        }
    }

    static final class DeclaringInstance implements DeclaresCongestionStrategy {
        private final CongestionStrategy instance;

        DeclaringInstance(CongestionStrategy instance) {
            this.instance = instance;
        }

        @Override
        public String congestionStrategy() {
            return "throttle"; // ignored: the instance wins
        }

        @Override
        public CongestionStrategy congestionStrategyInstance() {
            return instance;
        }
    }

    static final class CountingStrategy implements CongestionStrategy {
        final AtomicInteger admits = new AtomicInteger();
        volatile String limitSeen;

        @Override
        public void init(StrategyContext context) {
            limitSeen = context.parameter("limit", "unset");
        }

        @Override
        public boolean admit(Object record, Budget budget) {
            admits.incrementAndGet();
            return budget.tryAcquire(1) == 1;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            chunk.keepAll();
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }
}
