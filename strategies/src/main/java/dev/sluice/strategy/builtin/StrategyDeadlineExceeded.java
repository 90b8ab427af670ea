package dev.sluice.strategy.builtin;

import java.util.concurrent.TimeUnit;

/**
 * What the failure listener is told when a user strategy's call ran past {@code sluice.userStrategy.deadline}. Its stack
 * is the stuck thread's at the deadline (where the strategy was blocked), when the thread was still inside the call.
 */
public final class StrategyDeadlineExceeded extends Exception {

    private static final long serialVersionUID = 1L;

    StrategyDeadlineExceeded(String strategyName, long deadlineNanos, Thread stuck) {
        super("a call into strategy '" + strategyName + "' did not return within sluice.userStrategy.deadline ("
                + TimeUnit.NANOSECONDS.toMillis(deadlineNanos) + " ms)"
                + (stuck != null ? "; thread '" + stuck.getName() + "' was interrupted, its stack at the deadline follows"
                : ""));
        if (stuck != null) {
            setStackTrace(stuck.getStackTrace());
        }
    }
}
