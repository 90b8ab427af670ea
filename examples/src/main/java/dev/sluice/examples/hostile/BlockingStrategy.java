package dev.sluice.examples.hostile;

import java.util.concurrent.CountDownLatch;

/**
 * Blocks for good, interruptibly, once its good calls are used up ({@link MisbehavingStrategy}): a strategy waiting on
 * something that never comes (a lock, a queue, a remote call without a timeout).
 */
public final class BlockingStrategy extends MisbehavingStrategy {

    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    protected boolean misbehave() throws InterruptedException {
        never.await();
        return false;
    }
}
