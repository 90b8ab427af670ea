package dev.sluice.strategy;

/**
 * Marks a Spark {@code Receiver} that already paces what it stores to the bound in force, read through
 * {@code supervisor().getCurrentRateLimit()} (which reports Sluice's bound when the agent manages the stream), as
 * Sluice's reactive receiver does by requesting only that much from its publisher.
 *
 * <p>The agent recognises the marker by name on the receiver's class hierarchy (so the copy of this interface the
 * application was compiled against need not be the agent's), and then counts the receiver's bulk stores without
 * enforcing the bound a second time: a second pacer in front of a receiver that is already on budget only adds waits
 * it cannot catch up on. The receiver still gets the bound, the memory guard's tightening included.
 */
public interface SelfLimitedReceiver {

    /** The marker's binary name, compared by the agent. */
    String NAME = "dev.sluice.strategy.SelfLimitedReceiver";
}
