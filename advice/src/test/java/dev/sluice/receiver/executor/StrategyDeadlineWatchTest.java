package dev.sluice.receiver.executor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


/**
 * The deadline watcher runs exactly while a stream with a user strategy is live and {@code sluice.userStrategy.deadline}
 * is set, and that stream's gate is told the deadline; built-ins cost no thread. (What the watcher does at the deadline:
 * {@code StrategyDeadlineTest} in the strategies module, and {@code HostileStrategySmokeTest} on real Spark.)
 */
class StrategyDeadlineWatchTest {

    /** A user's strategy as {@code sluice.strategy} names it (public, public no-argument constructor). */
    private static final String USER_STRATEGY = DeclaredStrategyTest.CountingStrategy.class.getName();

    private static TestReceiver started(TestReceiver r) {
        new RecordingSupervisor(r);
        ReceiverLifecycle.starting(r, r.streamId());
        return r;
    }

    @AfterEach
    void stopAll() {
        RuntimeFixture.install(); // forgets every stream
        StrategyDeadlineWatch.stopIfIdle();
    }

    @Test
    void aUserStrategyIsWatchedWhileItsStreamLives() {
        RuntimeFixture.install("sluice.strategy", USER_STRATEGY, "sluice.userStrategy.deadline", "5s");
        TestReceiver a = started(new TestReceiver(0));
        TestReceiver b = started(new TestReceiver(1));
        assertTrue(StreamGates.lastOf(a).gate().isStrategyWatched());
        assertTrue(StrategyDeadlineWatch.isRunning());
        ReceiverLifecycle.stopping(a);
        assertTrue(StrategyDeadlineWatch.isRunning(), "stream 1 is still live");
        ReceiverLifecycle.stopping(b);
        assertFalse(StrategyDeadlineWatch.isRunning(), "the watcher outlived every stream");
    }

    @Test
    void builtInsStartNoWatcher() {
        RuntimeFixture.install("sluice.strategy", "throttle", "sluice.userStrategy.deadline", "5s");
        TestReceiver a = started(new TestReceiver(0));
        assertFalse(StreamGates.lastOf(a).gate().isStrategyWatched());
        assertFalse(StrategyDeadlineWatch.isRunning());
        ReceiverLifecycle.stopping(a);
    }

    @Test
    void noDeadlineStartsNoWatcher() {
        RuntimeFixture.install("sluice.strategy", USER_STRATEGY, "sluice.userStrategy.deadline", "0");
        TestReceiver a = started(new TestReceiver(0));
        assertTrue(StreamGates.lastOf(a).gate().isStrategyWatched());
        assertFalse(StrategyDeadlineWatch.isRunning());
        ReceiverLifecycle.stopping(a);
    }
}
