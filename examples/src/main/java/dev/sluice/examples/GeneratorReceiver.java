package dev.sluice.examples;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;

/**
 * A receiver whose records come from one daemon thread it owns: started by {@link #onStart()}, interrupted and joined
 * (at most 5 s) by {@link #onStop()}, as Spark's receiver contract asks (onStart must not block, onStop must end what
 * onStart began).
 */
public abstract class GeneratorReceiver<T> extends Receiver<T> {

    private static final long serialVersionUID = 1L;

    private final String threadPrefix;
    private transient volatile boolean running;
    private transient Thread thread;

    protected GeneratorReceiver(StorageLevel storageLevel, String threadPrefix) {
        super(storageLevel);
        this.threadPrefix = threadPrefix;
    }

    /** Runs on the receiver's thread until {@link #running()} turns false or the thread is interrupted. */
    protected abstract void generate();

    /** False once Spark stops the receiver. */
    protected final boolean running() {
        return running && !isStopped();
    }

    @Override
    public final void onStart() {
        running = true;
        thread = new Thread(this::generate, threadPrefix + streamId());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public final void onStop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
