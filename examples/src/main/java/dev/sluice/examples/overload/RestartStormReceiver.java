package dev.sluice.examples.overload;

/**
 * An {@link OfferingReceiver} that, for a while, restarts itself over and over, as a flaky source does (a connection
 * that keeps dropping, a client that calls {@code restart} on every error): from {@code afterMillis} after its first
 * start, for {@code forMillis}, each incarnation asks Spark to restart it ({@code restart(message, error, 0)}: no delay)
 * {@code everyMillis} after it started. Outside that window it behaves as its parent.
 *
 * <p>Ground truth for the restarts, independent of Spark's and the agent's logs: every start prints
 * {@code restart storm: stream <id> start <n> at <epochMs>} to the executor's stdout.
 */
public class RestartStormReceiver extends OfferingReceiver {

    private static final long serialVersionUID = 1L;

    private final long afterMillis;
    private final long everyMillis;
    private final long forMillis;
    /** Kept by the receiver object, which Spark reuses for every restart of it within one executor. */
    private transient long firstStartMillis;
    private transient int starts;

    public RestartStormReceiver(StoreMode mode, long rate, long chunkMillis, String outDir, long afterMillis,
                                long everyMillis, long forMillis) {
        super(mode, rate, chunkMillis, outDir);
        this.afterMillis = afterMillis;
        this.everyMillis = everyMillis;
        this.forMillis = forMillis;
    }

    @Override
    protected void generate() {
        long now = System.currentTimeMillis();
        if (starts++ == 0) {
            firstStartMillis = now;
        }
        System.out.println("restart storm: stream " + streamId() + " start " + starts + " at " + now);
        long stormFrom = firstStartMillis + afterMillis;
        if (now < stormFrom + forMillis) {
            // Each incarnation in (or before) the storm asks for its own restart: everyMillis after its start, or at
            // the storm's beginning if that is later.
            final long delay = Math.max(everyMillis, stormFrom - now);
            final int restartNo = starts;
            Thread trigger = new Thread(() -> {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                if (!isStopped()) {
                    // With an error: Spark 3.5 wraps the argument in Some(...), and a null one fails its own stop
                    // (NullPointerException in ReceiverSupervisorImpl.onReceiverStop, so the driver is never told).
                    restart("restart storm: restart " + restartNo, new IllegalStateException("simulated failure"), 0);
                }
            }, "restart-storm-trigger-" + streamId());
            trigger.setDaemon(true);
            trigger.start();
        }
        super.generate();
    }
}
