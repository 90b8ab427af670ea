package dev.sluice.testbed.run;

/**
 * A noisy neighbour: {@code threads} threads that keep a core busy each until the process is killed or the process
 * {@code parentPid} (the test bed runner) exits.
 */
public final class CpuBurner {

    private static volatile long sink;

    private CpuBurner() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        long parentPid = Long.parseLong(args[1]);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(CpuBurner::burn, "burner-" + i);
            t.setDaemon(true);
            t.start();
        }
        ProcessHandle parent = ProcessHandle.of(parentPid).orElse(null);
        while (parent != null && parent.isAlive()) {
            Thread.sleep(500);
        }
        System.exit(0);
    }

    private static void burn() {
        long x = 1;
        while (true) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }
    }
}
