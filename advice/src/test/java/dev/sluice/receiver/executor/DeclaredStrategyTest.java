package dev.sluice.receiver.executor;

import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.DeclaresCongestionStrategy;
import dev.sluice.strategy.StrategyContext;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A receiver declares its strategy in code; sluice.stream.<id>.strategy overrides it, sluice.strategy does not. */
class DeclaredStrategyTest {

    @Test
    void theReceiversDeclarationIsUsedWithoutAnyConfigurationKey() {
        RuntimeFixture.install();
        ManagedStream s = StreamGates.receiverStarting(new Declaring("drop"), 3);
        assertEquals("drop", s.strategyName());
        assertEquals("drop", s.configuredStrategy());
    }

    @Test
    void itRanksAboveTheGlobalDefault() {
        RuntimeFixture.install("sluice.strategy", "sample");
        assertEquals("drop", StreamGates.receiverStarting(new Declaring("drop"), 3).strategyName());
        assertEquals("sample", StreamGates.receiverStarting(new Object(), 4).strategyName(),
                "a stream whose receiver declares nothing");
    }

    @Test
    void thePerStreamKeyOverridesIt() {
        RuntimeFixture.install("sluice.stream.3.strategy", "sample");
        Declaring receiver = new Declaring("drop");
        DeclaredStrategy.Choice c = DeclaredStrategy.resolve(3, DeclaredStrategy.declaration(receiver),
                SluiceRuntime.settings());
        assertEquals("sample", c.name);
        assertEquals("sluice.stream.3.strategy", c.source);
        assertEquals("sample", StreamGates.receiverStarting(receiver, 3).strategyName());
    }

    @Test
    void anInstanceBuiltInCodeServesTheStreamAndIsInitialised() throws Exception {
        RuntimeFixture.install("sluice.stream.5.strategy.limit", "7");
        CountingStrategy own = new CountingStrategy();
        DeclaringInstance receiver = new DeclaringInstance(own);
        ManagedStream s = StreamGates.receiverStarting(receiver, 5);
        assertEquals("7", own.limitSeen, "init() got the stream's strategy parameters");
        s.learnBound(1_000_000);
        s.gate().admitOne("x");
        s.gate().admitOne("y");
        assertEquals(2, own.admits.get(), "the receiver's own instance decided");
        DeclaredStrategy.Choice c = DeclaredStrategy.resolve(5, DeclaredStrategy.declaration(receiver),
                SluiceRuntime.settings());
        assertEquals(CountingStrategy.class.getName(), c.name);
        assertSame(own, c.instance);
    }

    @Test
    void aFailingOrEmptyDeclarationLeavesItToTheConfiguration() {
        RuntimeFixture.install("sluice.strategy", "sample");
        Object[] receivers = {new Throwing(), new Declaring(null), new Declaring("  "), new Object()};
        for (int id = 0; id < receivers.length; id++) {
            assertEquals("sample", StreamGates.receiverStarting(receivers[id], id).strategyName(), "stream " + id);
            assertEquals("configuration", DeclaredStrategy.resolve(id, DeclaredStrategy.declaration(receivers[id]),
                    SluiceRuntime.settings()).source);
        }
    }

    @Test
    void anUnknownDeclaredClassThrottlesAsAConfiguredOneWould() {
        RuntimeFixture.install("sluice.strategy", "drop");
        assertEquals("throttle", StreamGates.receiverStarting(new Declaring("com.acme.NoSuchStrategy"), 3)
                .strategyName());
    }

    @Test
    void aLaterReceiverOfTheStreamReplacesTheDeclaration() {
        RuntimeFixture.install("sluice.strategy", "sample");
        Object first = new Declaring("drop");
        assertEquals("drop", StreamGates.receiverStarting(first, 3).strategyName());
        StreamGates.receiverStopping(first);
        assertEquals("sample", StreamGates.receiverStarting(new Object(), 3).strategyName(),
                "the next receiver with the id declares nothing: it does not inherit the first one's declaration");
    }

    @Test
    void theDeclarationIsFoundThroughSuperclassesAndSuperinterfaces() {
        assertEquals("drop", DeclaredStrategy.declaration(new SubclassOfDeclaring()).name);
        assertEquals("sample", DeclaredStrategy.declaration(new ViaSubInterface()).name);
        assertTrue(DeclaredStrategy.declaration(new SubclassOfDeclaring()).source.contains(
                SubclassOfDeclaring.class.getName()));
        assertNull(DeclaredStrategy.declaration(null));
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

    public static final class CountingStrategy implements CongestionStrategy {
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
